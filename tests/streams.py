"""``make test``: the suite in three pytest processes, side by side.

The tests that apply labs with Terraform (marked ``applies``: the local and AWS
targets' modules) spend minutes in the AWS provider's fixed waits (~10 s per VPC,
gateway, VPN connection and instance, on create and on destroy) and little CPU,
and their labs' names are their own. They run beside the rest in two streams of
their own: those that keep a guest for their lab (``guest``) and those that do
not, about eight and fourteen minutes each, one after the other twenty-two: the
suite's longest. Their output follows the first stream's, in that order. The exit
status is the first failing stream's.

    python -m tests.streams [PYTEST OPTIONS]
"""

from __future__ import annotations

import contextlib
import signal
import subprocess
import sys
import tempfile

NO_TESTS = 5  # pytest's exit status when a selection holds no test
# Each stream beside the first: its title, its selection.
BESIDE = (
    ("the tests that apply labs in a kept guest", "applies and guest"),
    ("the tests that apply labs on this host", "applies and not guest"),
)


def main(options: list[str]) -> int:
    pytest = [sys.executable, "-m", "pytest", *options]
    with contextlib.ExitStack() as files:
        outputs = [files.enter_context(tempfile.TemporaryFile("w+")) for _ in BESIDE]
        beside = [
            subprocess.Popen(
                [*pytest, "-m", selection], stdout=output, stderr=subprocess.STDOUT, text=True
            )
            for output, (_, selection) in zip(outputs, BESIDE, strict=True)
        ]
        rest = subprocess.Popen([*pytest, "-m", "not applies"])
        streams = (rest, *beside)
        # Ctrl-C reaches them all from the terminal and each tears down what it started:
        # this process only waits (set after they start: an ignored signal is inherited).
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, lambda signum, frame: [s.terminate() for s in streams])
        codes = [stream.wait() for stream in streams]
        for output, (title, selection) in zip(outputs, BESIDE, strict=True):
            output.seek(0)
            print(f"\n---- {title} (pytest -m '{selection}'), beside the above ----")
            sys.stdout.write(output.read())
    failed = [code for code in codes if code not in (0, NO_TESTS)]
    return failed[0] if failed else (NO_TESTS if set(codes) == {NO_TESTS} else 0)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
