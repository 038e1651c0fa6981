"""Helpers for the property tests: mutate real input, and bound each call in time.

A hang is a failure too: every call runs under a 2 s alarm (SIGALRM), so an
endless loop raises instead of stopping the suite.
"""

import contextlib
import signal

from hypothesis import strategies as st

SECONDS = 2.0


class Hung(Exception):
    pass


@contextlib.contextmanager
def within(seconds: float = SECONDS):
    def alarm(signum, frame):
        raise Hung(f"no answer within {seconds} s")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


NOISE = st.sampled_from(
    [" ", "\t", "\n", ":", "-", "{", "}", "[", "]", "#", "=", '"', "'", "&a", "*a", "!!", "%", "\\",
     "\x00", "é", "0", "-1", "9" * 30, "null", "yes", "~", "conn ", "include ", "also="]
)  # fmt: skip


@st.composite
def mutations(draw, text: str) -> str:
    """``text`` after a few edits of the kinds a hand-edited file suffers: a line
    deleted, repeated or moved, a character replaced, noise inserted."""
    lines = text.splitlines(keepends=True) or [""]
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(lines) - 1))
        edit = draw(st.sampled_from(["delete", "repeat", "move", "replace", "insert", "indent"]))
        if edit == "delete" and len(lines) > 1:
            lines.pop(i)
        elif edit == "repeat":
            lines.insert(i, lines[i])
        elif edit == "move":
            lines.insert(draw(st.integers(0, len(lines) - 1)), lines.pop(i))
        elif edit == "indent":
            lines[i] = draw(st.sampled_from(["", "  ", "    ", "\t"])) + lines[i].lstrip(" ")
        else:
            line = lines[i]
            at = draw(st.integers(0, len(line)))
            noise = draw(NOISE)
            cut = at + (1 if edit == "replace" else 0)
            lines[i] = line[:at] + noise + line[cut:]
    return "".join(lines)


def documents():
    """Any YAML-shaped data: scalars, lists and mappings, nested."""
    scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20)
    return st.recursive(
        scalars,
        lambda children: (
            st.lists(children, max_size=4)
            | st.dictionaries(st.text(max_size=12), children, max_size=4)
        ),
        max_leaves=30,
    )
