"""The metadata of one lab-file key: ``field(metadata=spec(...))`` in driver/lab/model.py."""

from __future__ import annotations


def spec(
    doc: str,
    *,
    choices: tuple = (),
    bounds: tuple | None = None,
    required: bool = False,
    pattern: tuple[str, str] | None = None,
    aws_offers: bool = False,
    exactly: int | None = None,
) -> dict:
    """Metadata of one lab-file key (see module docstring).

    ``aws_offers`` marks choices that are AWS's list of what it offers, so a
    value outside them is reported as such (not as a typo). ``pattern`` is
    (regex, what it means in words). ``exactly`` is a list's one allowed length
    (a VPN connection's two tunnels). ``required`` on a section: the lab file
    must have it (its own keys say what in it is required).
    """
    return {
        "doc": doc,
        "choices": choices,
        "bounds": bounds,
        "required": required,
        "pattern": pattern,
        "aws_offers": aws_offers,
        "exactly": exactly,
    }
