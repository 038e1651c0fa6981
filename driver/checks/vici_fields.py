"""Values of vici's ``list-sas`` answers, read one way everywhere: charon sends
bytes, and a tunnel that was rekeyed keeps its old CHILD_SA (DELETED) beside
the new one (INSTALLED) for a while."""

from __future__ import annotations


def text(value) -> str:
    """A vici value as text ("" for an absent one)."""
    if isinstance(value, bytes):
        return value.decode()
    return "" if value is None else str(value)


def installed_children(sa: dict) -> list[dict]:
    return [c for c in sa.get("child-sas", {}).values() if text(c.get("state")) == "INSTALLED"]


def current_child(sa: dict) -> dict:
    """The CHILD_SA that carries the tunnel now: an installed one, else any."""
    children = list(sa.get("child-sas", {}).values())
    return (installed_children(sa) or children or [{}])[0]
