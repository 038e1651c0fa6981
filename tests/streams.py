"""``make test``: the suite in two pytest processes, side by side.

The tests that apply labs with Terraform (marked ``applies``: the local and AWS
targets' modules) spend minutes in the AWS provider's fixed waits (~10 s per VPC,
gateway, VPN connection and instance, on create and on destroy) and little CPU,
and their labs' names are their own. They run in a second stream beside the rest;
its output follows the first's. The exit status is the first failing stream's.

    python -m tests.streams [PYTEST OPTIONS]
"""

from __future__ import annotations

import signal
import subprocess
import sys
import tempfile

NO_TESTS = 5  # pytest's exit status when a selection holds no test


def main(options: list[str]) -> int:
    pytest = [sys.executable, "-m", "pytest", *options]
    with tempfile.TemporaryFile("w+") as output:
        applies = subprocess.Popen(
            [*pytest, "-m", "applies"], stdout=output, stderr=subprocess.STDOUT, text=True
        )
        rest = subprocess.Popen([*pytest, "-m", "not applies"])
        streams = (rest, applies)
        # Ctrl-C reaches both from the terminal and each tears down what it started:
        # this process only waits (set after they start: an ignored signal is inherited).
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, lambda signum, frame: [s.terminate() for s in streams])
        codes = [stream.wait() for stream in streams]
        output.seek(0)
        print("\n---- the tests that apply labs (pytest -m applies), beside the above ----")
        sys.stdout.write(output.read())
    failed = [code for code in codes if code not in (0, NO_TESTS)]
    return failed[0] if failed else (NO_TESTS if codes == [NO_TESTS] * 2 else 0)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
