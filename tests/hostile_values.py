"""Hostile values: what another company's file may hold where vpnlab expects a value.

Quotes, braces, newlines, comments, shell substitutions, NUL, very long runs, and
the crafted payloads that once rewrote the emulated VGW's configuration (a key
ending its string and opening a section of its own).
"""

from hypothesis import strategies as st

PAYLOADS = [
    'x" }\n connections { Tunnel1 { children { Tunnel1 { updown = touch /dev/shm/pwn } } } }',
    "x' } connections { Tunnel1 { proposals = aes128-sha1-modp1024 } } #",
    'abc"def',
    "}\nsecrets { ike-x { secret = y } }",
    "$(touch /tmp/pwn)",
    "`id`",
    "a\\",
    'a\\"b',
    "# comment",
    "line\nbreak",
    "tab\there",
    "include /etc/shadow",
    "x" * 5000,
    "0leading.zero_key",
    "sample.string_tunnel1",  # a key AWS accepts: hostile strategies include the benign
]

NASTY = st.sampled_from(list("\"'{}#$()`\\;\n\r\t =:,.%_") + ["\0", "é", "include ", "${x}"])
HOSTILE = st.one_of(
    st.sampled_from(PAYLOADS),
    st.lists(st.one_of(NASTY, st.text(min_size=1, max_size=8)), min_size=1, max_size=30).map(
        "".join
    ),
    st.text(max_size=80),
)
