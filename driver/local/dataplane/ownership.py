"""Whose a lab's namespaces are, and removing what a ``vpnlab check`` left.

The local target's applied lab and a check's kept or interrupted lab use the same
namespace names; only the owner's own command may remove them (an applied lab
records ``dataplane.json`` in its state directory).
"""

from __future__ import annotations

import contextlib
import shutil
from pathlib import Path

from driver.core.errors import VpnlabError
from driver.core.state import DATAPLANE_RECORD, LabState
from driver.local.dataplane.netns import Namespace, run
from driver.local.shared.node_access import lab_namespaces, lab_prefix


class OwnershipError(VpnlabError):
    pass


CHECK_DIR = "check"  # a check's folder in the lab's state directory (its charons)


def check_dir(lab_name: str) -> Path:
    return LabState(lab_name).root / CHECK_DIR


def applied(lab_name: str) -> bool:
    return LabState(lab_name).read(DATAPLANE_RECORD) is not None


def kept_by_check(lab_name: str) -> bool:
    """Did a ``vpnlab check`` (kept, or interrupted) leave the lab's namespaces?"""
    return check_dir(lab_name).exists() and not applied(lab_name)


def namespaces_owner(lab_name: str) -> str:
    """Whose the lab's namespaces are, and the one command that removes them."""
    if applied(lab_name):
        return (
            "the lab is applied on the local target (`vpnlab apply`); `vpnlab destroy` removes it"
        )
    if kept_by_check(lab_name):
        return (
            "a `vpnlab check --keep` kept them, or a check was interrupted; "
            "`vpnlab check --cleanup` removes them"
        )
    return "an interrupted `vpnlab apply` left them; `vpnlab destroy` removes them"


def already_there(lab_name: str) -> str | None:
    """Why a data plane may not claim the lab's namespaces (they exist, and whose they
    are), or None when there are none: it then changes nothing."""
    left = lab_namespaces(lab_name)
    if not left:
        return None
    return (
        f"lab '{lab_name}' already has namespaces ({', '.join(left)}): "
        f"{namespaces_owner(lab_name)}; nothing was changed"
    )


def cleanup(lab_name: str) -> list[str]:
    """Remove what a kept or interrupted ``vpnlab check`` of ``lab_name`` left; returns
    what it removed. An applied lab's data plane is not a check's: refused."""
    if applied(lab_name):
        raise OwnershipError(
            f"lab '{lab_name}' is applied on the local target: its namespaces are not a "
            "check's, and `vpnlab check --cleanup` leaves them; `vpnlab destroy` removes "
            "the lab; nothing was changed"
        )
    removed = remove_namespaces(lab_name, check_dir(lab_name))
    with contextlib.suppress(OSError):  # the lab's state directory, if now empty
        LabState(lab_name).root.rmdir()
    return removed


def remove_namespaces(lab_name: str, workdir: Path) -> list[str]:
    """Kill what runs in the lab's namespaces, delete them and ``workdir``."""
    removed = []
    for name in lab_namespaces(lab_name):
        ns = Namespace(lab_name, name.removeprefix(lab_prefix(lab_name)))
        for pid in ns.pids():
            run(["kill", "-KILL", str(pid)], check=False)
        ns.delete()
        removed.append(f"namespace {name}")
    if workdir.exists():
        shutil.rmtree(workdir, ignore_errors=True)
        removed.append(f"directory {workdir}")
    return removed
