"""A value written into a file in libstrongswan's settings format (swanctl.conf,
strongswan.conf), quoted by that format's own rules.

In the settings grammar an unquoted value ends at a newline, ``#`` or ``}``, so a
value holding those (or ``"``, ``{``) would end early and the rest would be read
as settings of its own. A quoted string ends only at an unescaped ``"``, and the
lexer turns ``\\n``, ``\\r``, ``\\t`` back into those characters and any other
``\\x`` into ``x`` (libstrongswan's settings_lexer.l; driver/analysis/
swanctl_conf.py reads strings the same way). NUL cannot be written: strongSwan's
values are C strings.
"""

from __future__ import annotations

_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


class UnwritableValue(ValueError):
    pass


def quoted(value: str) -> str:
    """``value`` as a quoted settings string that reads back as exactly ``value``."""
    if "\0" in value:
        raise UnwritableValue("a NUL character cannot be written into a strongSwan file")
    return '"' + "".join(_ESCAPES.get(c, c) for c in value) + '"'
