"""A router's configuration, in its vendor's own syntax, as vpnlab reads and runs it.

Every router dialect is one package under driver/cgw/ (``fortigate/``,
``cisco_ios/``) that ends in one ``Dialect``: how to recognise its files, how to
read them into the tunnel records every implementation's files become
(driver/cgw/record.py), which platform release's defaults it judged them by, how
its proposal words read in AWS's names, and its twin: strongSwan files that
negotiate as the router would. Lint (driver/analysis/<dialect>_rules.py),
``vpnlab init --from-cgw-config`` and the local data plane take a dialect from
driver/cgw/dialects.py and need nothing else of it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from driver.cgw.folder import MAX_BYTES, CustomerConfigError
from driver.cgw.frr.conf import BgpConfig
from driver.cgw.record import ConfiguredTunnel
from driver.cgw.settings import Secret
from driver.core.errors import VpnlabError
from driver.core.input_files import read_text


class Untranslatable(VpnlabError):
    """Something of a router's configuration its twin cannot be faithful to."""


@dataclass
class RouterConfig:
    """A router's file as the dialect read it."""

    tunnels: list[ConfiguredTunnel]  # one per SA pair the router would bring up
    secrets: list[Secret]  # its pre-shared keys, by remote gateway
    problems: list[str]  # "file:line: what" the router would not load as written
    inside_cidrs: tuple[str, ...] | None  # each tunnel's /30, where the file says
    defaulted: list[str] = field(default_factory=list)  # platform defaults relied on
    bgp: BgpConfig | None = None  # its BGP, read into FRR's record


def router_config(
    records: list[ConfiguredTunnel],
    secrets: list[Secret],
    problems: list[tuple[str, str]],
    inside: list[str | None],
    defaulted: list[str],
    bgp: BgpConfig | None,
) -> RouterConfig:
    """A dialect's reading as RouterConfig: ``inside`` is each tunnel interface's /30
    (None where it has no address), kept only when both of AWS's tunnels have one."""
    found = tuple(c for c in inside if c)
    return RouterConfig(
        records,
        secrets,
        [f"{where}: {what}" for where, what in problems],
        found if len(found) == len(inside) == 2 else None,
        sorted(set(defaulted)),
        bgp,
    )


@dataclass
class Twin:
    """strongSwan files that negotiate as the router would."""

    files: dict[str, str]  # server path -> content
    addresses: tuple[str, str]  # the two AWS tunnel addresses, in the tunnels' order
    psks: dict[str, str]  # tunnel address -> its key
    start_actions: dict[str, str]  # tunnel address -> start | trap
    executables: frozenset[str]  # the twin's scripts (its updown)
    defaulted: list[str] = field(default_factory=list)  # platform defaults it relied on
    # commands run in the gateway's namespace before its daemon starts: the tunnel
    # interfaces a router keeps up whether or not their SAs are (twin_swanctl.py)
    prepare: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True)
class Dialect:
    name: str  # the implementation's key (detect.IMPLEMENTATIONS)
    title: str  # "FortiGate"
    release: str  # the platform release whose defaults judge the file: "FortiOS 7.4"
    sign: re.Pattern  # a line only this dialect's files have
    read: Callable[[Path, Path | None], RouterConfig]
    proposals: Callable[[str], list[dict[str, set]]]  # a record's proposals, AWS's names
    twin: Callable[[Path], Twin]  # raises Untranslatable, saying what and where
    tunnel_interface: str  # what in its files makes a tunnel an interface (route-based)
    pfs_fix: str  # how to turn phase 2 PFS on, in the vendor's words
    # the check's diagnoses (by their entry in AWS's tunnel log, driver/checks/
    # diagnosis.py) and their fix in the vendor's words
    fixes: dict[str, str] = field(default_factory=dict)
    # the release a file's own syntax says it is for (VyOS 1.4, 1.3, EdgeOS), where
    # one dialect reads several
    release_of: Callable[[Path], str] | None = None

    @property
    def a_title(self) -> str:
        """The title with its article, as a sentence says it ("an OPNsense")."""
        return f"{'an' if self.title[:1] in 'AEIOU' else 'a'} {self.title}"

    def release_for(self, config: Path) -> str:
        """The release whose defaults judge ``config``."""
        if self.release_of is None:
            return self.release
        try:
            return self.release_of(config)
        except VpnlabError:  # unreadable: the read itself says why
            return self.release


def router_file(config: Path, secrets: Path | None, what: str, keys: str) -> str:
    """A router's configuration as the other company sends it: one file (a backup,
    ``show`` output, pasted lines), its keys in it (``keys``: where), read within
    vpnlab's input bounds."""
    if secrets is not None:
        raise CustomerConfigError(
            f"{config} is a {what}: its keys are in it ({keys}); drop --cgw-secrets"
        )
    if config.is_dir():
        raise CustomerConfigError(
            f"{config} is a directory: pass the router's configuration file itself"
        )
    return read_text(config, MAX_BYTES, what)


def refused(title: str, problems: list[str]) -> Untranslatable:
    """All that keeps the twin from being faithful, at once."""
    return Untranslatable(
        f"the {title}'s configuration cannot be run as a twin faithfully; nothing was "
        "started:\n  " + "\n  ".join(problems)
    )
