"""A customer's updown script, run by the VPN server node's charon, can change the
node and nothing else: a script that tries every place a hostile one would
writes where it may, and no file appears on the host (root)."""

import os
import secrets
import shutil
import stat
from pathlib import Path

import pytest

from driver.core.paths import PROJECT, state_root
from driver.lab.loader import parse_lab
from driver.local.check_command import run_check, workdir
from driver.local.dataplane.ownership import cleanup
from driver.local.shared.node_access import vici_socket
from tests.conftest import requires_root
from tests.lab.test_loader import lab_with

pytestmark = [pytest.mark.root, pytest.mark.strongswan, requires_root()]

VENDOR = PROJECT / "tests" / "fixtures" / "seed-vendor"
HOST_PLACES = ("/etc", "/root", "/var/tmp", "/tmp", "/dev/shm", "/run", str(PROJECT))

PROBE = """#!/bin/sh
# What a hostile updown script would try; each line says whether it could.
[ "$PLUTO_VERB" = up-client ] || exit 0
out=/run/probe.out
try() { if sh -c "$2" >/dev/null 2>&1; then echo "$1 yes"; else echo "$1 no"; fi >> $out; }
for place in {places}; do try "write $place" "echo x > $place/{mark}"; done
try "write /var/log" "echo x > /var/log/{mark}"
try "proc/sys/net" "echo 2 > /proc/sys/net/ipv4/conf/all/rp_filter"
try "proc/sys/vm" "v=\\$(cat /proc/sys/vm/swappiness); echo \\$v > /proc/sys/vm/swappiness"
try "sys" "v=\\$(cat /sys/class/net/lo/mtu); echo \\$v > /sys/class/net/lo/mtu"
try "sysrq" "echo h > /proc/sysrq-trigger"
try "remount" "mount -o remount,rw /"
try "umount etc" "umount -l /etc"
try "mknod" "mknod /run/{mark}-dev b 8 0"
try "see the host" "test -d /proc/{host_pid}"
try "signal the host" "kill -0 {host_pid}"
try "tun device" "test -c /dev/net/tun"
try "host disk" "ls /dev | grep -q -e '^sd' -e '^vd' -e '^nvme'"
try "read /etc/shadow" "cat /etc/shadow"
try "see /root" "ls -A /root | grep -q ."
try "see vpnlab's state" "ls -A {state_root} | grep -q ."
try "reach the VGW's charon" "swanctl --stats --uri unix://{vgw_vici}"
try "read the host's SSH keys" "cat /etc/ssh/ssh_host_*"
try "read vpnlab's environment" "grep -q {mark} /proc/1/environ || env | grep -q {mark}"
try "read the operator's terminal" "test -t 0"
try "work in a hidden folder" "test \\"\\$(cd /proc/1/cwd && pwd -P)\\" != /"
try "use the host's SysV IPC" "test \\"\\$(readlink /proc/self/ns/ipc)\\" = '{host_ipc}'"
"""


def test_a_customer_script_changes_the_node_and_nothing_on_the_host(tmp_path, monkeypatch):
    mark = f"vpnlab-probe-{secrets.token_hex(4)}"
    etc = tmp_path / "etc"
    shutil.copytree(VENDOR, etc)
    probe = etc / "ipsec.d" / "probe.sh"
    probe.parent.mkdir()
    lab = parse_lab(lab_with(("name", "confined")))
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", mark)  # vpnlab's environment: not the node's
    probe.write_text(
        PROBE.replace("{places}", " ".join(HOST_PLACES))
        .replace("{mark}", mark)
        .replace("{host_pid}", str(os.getpid()))
        .replace("{host_ipc}", os.readlink("/proc/self/ns/ipc"))
        .replace("{state_root}", str(state_root()))
        .replace("{vgw_vici}", str(vici_socket(workdir(lab), "vgw")))
    )
    probe.chmod(probe.stat().st_mode | stat.S_IXUSR)
    conf = etc / "ipsec.conf"
    conf.write_text(
        conf.read_text().replace(
            "    auto=start\n", "    auto=start\n    leftupdown=/etc/ipsec.d/probe.sh\n", 2
        )
    )
    try:
        run_check(lab, cgw_config=etc, keep=True, lifecycle=False)
        said = dict(
            line.rsplit(" ", 1)
            for line in (workdir(lab) / "server" / "run" / "probe.out").read_text().splitlines()
        )
    finally:
        cleanup(lab.name)
    appeared = [p for p in HOST_PLACES if Path(p, mark).exists()]
    assert appeared == [], f"a customer script wrote on the host: {appeared}"
    # the node's own places: /run and /var are its folders, /tmp and /dev/shm its tmpfs
    assert {
        k: said[k] for k in ("write /run", "write /var/tmp", "write /var/log")
    } == dict.fromkeys(("write /run", "write /var/tmp", "write /var/log"), "yes")
    assert said["write /tmp"] == said["write /dev/shm"] == "yes"
    assert said["proc/sys/net"] == "yes"  # AWS's ipsec-vti.sh sets rp_filter there
    assert said["tun device"] == "yes"  # userspace ESP
    for refused in ("write /etc", "write /root", f"write {PROJECT}", "proc/sys/vm", "sys",
                    "sysrq", "remount", "umount etc", "mknod", "see the host",
                    "signal the host", "host disk", "read /etc/shadow", "see /root",
                    "see vpnlab's state", "reach the VGW's charon", "read the host's SSH keys",
                    "read vpnlab's environment", "read the operator's terminal",
                    "work in a hidden folder", "use the host's SysV IPC"):  # fmt: skip
        assert said[refused] == "no", (refused, said)
