#!/usr/bin/env bash
# The whole suite in two streams, one per core: the guest's tests (qemu emulating a
# CPU: they keep one core busy), with the tests that need neither root nor Terraform
# (pure Python: they touch no namespace, daemon or provider cache), beside the tests
# that run labs on this host and Terraform (they mostly wait on timers and processes).
# Each stream runs its tests one after the other, as a plain `pytest` does, so no two
# of the host's labs and no two Terraform runs ever overlap, and the guest's labs live
# in their own kernel. The guest stream's report follows the host's; the exit status
# is the first failing stream's.
#
# usage: scripts/test-in-two-streams.sh PYTHON [pytest arguments for both streams]
set -uo pipefail
set -m  # the guest stream in its own process group: an interrupt reaches it (below)
python=$1
shift
# (not named vpnlab-guest-*: the guest tests check that no such folder is left)
log=$(mktemp "${TMPDIR:-/tmp}/vpnlab-test-stream.XXXXXX")
"$python" -m pytest -m 'guest or not (root or terraform)' -p no:cacheprovider "$@" >"$log" 2>&1 &
guest=$!
# Ctrl-C or a TERM from CI: the guest stream tears its guests down as pytest does on
# an interrupt, then this script stops.
stop() {
    kill -INT "$guest" 2>/dev/null
    wait "$guest"
    cat "$log"
    rm -f "$log"
    exit 130
}
trap stop INT TERM
"$python" -m pytest -m '(root or terraform) and not guest' "$@"
host=$?
wait "$guest"
guest_status=$?
trap - INT TERM
echo "===== the guest's tests and the pure ones (run beside the others) ====="
cat "$log"
rm -f "$log"
[ "$guest_status" -eq 5 ] && guest_status=0  # 5: nothing collected (no guest tests here)
[ "$host" -eq 5 ] && host=0
exit $((host != 0 ? host : guest_status))
