"""One Cisco IOS tunnel as tunnels.py and ikev2.py read it: a tunnel interface or a
crypto map's access-list entry, with its IPsec and IKE sides, each value's line kept
in ``wheres``, what IOS's defaults decided in ``defaulted``."""

from __future__ import annotations

from dataclasses import dataclass, field

from driver.cgw.cisco_ios import defaults
from driver.cgw.cisco_ios.conf import Command
from driver.cgw.settings import Secret


@dataclass
class IosTunnel:
    name: str  # "Tunnel1", or "crypto map VPN 10" (+ its ACL entry)
    at: Command  # the interface or crypto map entry
    peer: str | None
    local: str | None
    version: str  # "1" | "2"
    ike: list[tuple[str, str]] = field(default_factory=list)  # (proposal words, where)
    ike_lifetime: str = defaults.ISAKMP_POLICY["lifetime"]
    transforms: list[tuple[str, str]] = field(default_factory=list)  # (words, where)
    pfs: str | None = None  # "group14"
    sa_lifetime: str = defaults.IPSEC_SA_LIFETIME
    dpd: tuple[int, str] | None = None  # (seconds, periodic | on-demand)
    key: Secret | None = None
    key_where: str = ""
    local_id: str | None = None
    local_ts: str | None = None  # crypto map: its ACL entry's; a tunnel interface: none
    remote_ts: str | None = None
    address: str | None = None  # the tunnel interface's address/prefix
    routes: list[str] = field(default_factory=list)  # ip route … into the interface
    wheres: dict[str, str] = field(default_factory=dict)  # what -> file:line
    defaulted: list[str] = field(default_factory=list)
    problems: list[tuple[str, str, str]] = field(default_factory=list)  # rule, where, what

    def where(self, what: str) -> str:
        return self.wheres.get(what, self.at.where)

    @property
    def esp(self) -> str:
        pfs = f" pfs {self.pfs}" if self.pfs else ""
        return "; ".join(words + pfs for words, _ in self.transforms)
