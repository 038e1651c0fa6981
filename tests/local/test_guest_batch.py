"""The guest batch's watch over its guest (tests/local/guest_batch.py): a guest whose
kernel reports a CPU stuck for good is stopped then, with the kernel's words."""

from tests.local.guest_batch import STUCK, stuck

# The console of fresh-clone CI run 2 of 2026-12-07 (3abe86d), trimmed: AWS's ping had
# passed, the on-prem ping hung in the kernel and never came back.
CONSOLE = """\
PASS aws: ping {onprem_test_ip} (4.5 s) 3/3 replies from 192.168.1.10, rtt 9.384 ms
[  149.669111] rcu: INFO: rcu_preempt self-detected stall on CPU
[  149.669111] CPU: 1 PID: 428 Comm: ping Not tainted 6.1.0-57-amd64 #1  Debian 6.1.192-3
[  149.669111] RIP: 0010:netif_receive_skb_list_internal+0x58/0x300
[  149.673052]  gro_cell_poll+0x70/0x90
[  176.633031] watchdog: BUG: soft lockup - CPU#1 stuck for 48s! [ping:428]
[  204.633012] watchdog: BUG: soft lockup - CPU#1 stuck for 74s! [ping:428]
"""


def test_a_cpu_stuck_for_good_stops_the_guest_and_says_where():
    assert stuck(CONSOLE) is None  # 74 s: an emulated guest on a busy host can stall so
    report = f"watchdog: BUG: soft lockup - CPU#1 stuck for {STUCK + 6}s! [ping:428]"
    later = f"{CONSOLE}[  254.633010] {report}\n"
    assert stuck(later) == (
        f"the guest kernel reports a CPU stuck for {STUCK + 6} s in ping:428 (soft lockup)"
    )
