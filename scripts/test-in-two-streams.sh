#!/usr/bin/env bash
# The whole suite in two streams, one per core: the guest's tests (qemu emulating a
# CPU: they keep one core busy) beside all the others (namespaces, daemons, Terraform:
# they mostly wait on timers and processes). Each stream runs its tests one after the
# other, as a plain `pytest` does, so no two of the host's labs ever overlap, and the
# guest's labs live in their own kernel. The guest stream's report follows the host's;
# the exit status is the first failing stream's.
#
# usage: scripts/test-in-two-streams.sh PYTHON [pytest arguments for both streams]
set -uo pipefail
set -m  # the guest stream in its own process group: an interrupt reaches it (below)
python=$1
shift
log=$(mktemp "${TMPDIR:-/tmp}/vpnlab-guest-tests.XXXXXX")
"$python" -m pytest -m guest -p no:cacheprovider "$@" >"$log" 2>&1 &
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
"$python" -m pytest -m 'not guest' "$@"
host=$?
wait "$guest"
guest_status=$?
trap - INT TERM
echo "===== the guest's tests (run beside the others) ====="
cat "$log"
rm -f "$log"
[ "$guest_status" -eq 5 ] && guest_status=0  # 5: nothing collected (no guest tests here)
[ "$host" -eq 5 ] && host=0
exit $((host != 0 ? host : guest_status))
