"""pfSense's IPsec entries as records: one per SA pair it brings up. A phase 1 (not
disabled, with a proposal) is a connection; its phase 2s (by ``ikeid``, not
disabled) are one child under IKEv2 (their selectors and proposals merged) and one
child each under IKEv1 or with ``splitconn`` (``ipsec_setup_tunnels``). Each value
keeps its line; what pfSense derives from an empty field (defaults.py) is noted.

Proposals are strongSwan's, as pfSense writes them: per phase 1 ``encryption/item``
``{name}{keylen}-{hash}[-prf{prf}]-{modp}``; per phase 2 each encryption option
(AEAD first) with each hash and the PFS group (``ipsec_setup_proposal_entry``)."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field

from driver.cgw.pfsense import defaults
from driver.cgw.pfsense.conf import PfConf
from driver.cgw.record import ConfiguredTunnel
from driver.cgw.settings import Secret
from driver.cgw.twin_swanctl import GROUPS
from driver.cgw.xml_input import Element
from driver.core.addresses import is_ipv4


@dataclass
class PfTunnel:
    conf: PfConf
    phase1: Element
    phase2s: list[Element]
    defaulted: list[str] = field(default_factory=list)

    @property
    def ikeid(self) -> str:
        return self.phase1.value("ikeid") or "?"

    @property
    def split(self) -> bool:
        """A child per phase 2: IKEv1, or splitconn."""
        return self.version == "1" or self.phase1.has("splitconn")

    @property
    def label(self) -> str:
        own = f"phase 1 {self.ikeid}"
        descr = self.phase1.value("descr")
        if self.split and self.phase2s:
            own += f" phase 2 {self.phase2s[0].value('reqid') or '?'}"
        return f"{own} ({descr})" if descr else own

    def note(self, said: str) -> None:
        if said not in self.defaulted:
            self.defaulted.append(said)

    @property
    def version(self) -> str:
        given = self.phase1.value("iketype") or ""
        if not given:
            self.note(f"phase 1 {self.ikeid} iketype (empty: IKEv1)")
        return defaults.VERSIONS.get(given, "1")

    @property
    def remote(self) -> str | None:
        return self.phase1.value("remote-gateway")

    @property
    def interface(self) -> str:
        return self.phase1.value("interface") or "wan"

    @property
    def local(self) -> str | None:
        found = self.conf.root.value("interfaces", self.interface, "ipaddr")
        return found if found and is_ipv4(found) else None

    @property
    def aggressive(self) -> bool:
        return self.version != "2" and self.phase1.value("mode") == "aggressive"

    @property
    def vti(self) -> bool:
        return any(p.value("mode") == "vti" for p in self.phase2s)

    # -- proposals --
    def ike_words(self) -> str:
        out = []
        prf = self.phase1.value("prfselect_enable") == "yes"
        for item in self.phase1.all("encryption", "item"):
            name = item.value("encryption-algorithm", "name")
            hashed = item.value("hash-algorithm")
            if not name or not hashed:
                continue  # ipsec_setup_tunnels skips it
            words = name + (item.value("encryption-algorithm", "keylen") or "")
            words += f"-{hashed.removeprefix('hmac_')}"
            if prf and item.value("prf-algorithm"):
                words += f"-prf{item.value('prf-algorithm')}"
            out.append(words + _group(item.value("dhgroup")))
        return ",".join(out)

    def esp_words(self) -> str:
        out: list[str] = []
        for p2 in self.phase2s:
            options = p2.all("encryption-algorithm-option")
            aead = [o for o in options if "gcm" in (o.value("name") or "")[1:]]
            ordered = list(reversed(aead)) + [o for o in options if o not in aead]
            hashes = [h.text.strip().removeprefix("hmac_") for h in p2.all("hash-algorithm-option")
                      if h.text.strip()]  # fmt: skip
            pfs = _group(p2.value("pfsgroup"))
            for option in ordered:
                name = (option.value("name") or "") + (option.value("keylen") or "")
                if option in aead or not hashes or name.startswith("chacha20poly1305"):
                    out.append(name + pfs)
                else:
                    out += [f"{name}-{h}{pfs}" for h in hashes]
        return ",".join(dict.fromkeys(out))

    def pfs_group(self) -> str | None:
        """The PFS group of its (first) phase 2, None without PFS."""
        group = self.phase2s[0].value("pfsgroup") if self.phase2s else None
        return group if group and group != "0" else None

    # -- lifetimes, DPD, actions --
    def ike_renewal(self) -> tuple[int, int]:
        """(rekey, reauthenticate) seconds for the IKE SA, 0: not written (pfSense's
        ipsec_get_rekey_time and ipsec_get_reauth_time). Rekeying is IKEv2's (and
        auto's); a reauthentication is derived from the lifetime only for a phase 1
        that says ``ikev1``: one whose iketype is empty runs as IKEv1 and is never
        reauthenticated by pfSense."""
        lifetime = _number(self.phase1.value("lifetime"))
        rekey = _number(self.phase1.value("rekey_time"))
        if rekey is None:
            rekey = lifetime * defaults.REKEY_PERCENT // 100 if lifetime else defaults.IKE_REKEY
        reauth = _number(self.phase1.value("reauth_time"))
        if reauth is None:
            literal = self.phase1.value("iketype") == "ikev1"
            reauth = lifetime * defaults.REKEY_PERCENT // 100 if lifetime and literal else 0
            if not literal and self.version == "1":
                self.note(f"phase 1 {self.ikeid} iketype (empty: IKEv1, never reauthenticated)")
        return (0 if self.version == "1" else rekey), reauth

    def child_rekey(self) -> int | None:
        """The (last) phase 2's rekey: its rekey_time, else 90% of its lifetime; None
        (no lifetime): strongSwan's default."""
        if not self.phase2s:
            return None
        last = self.phase2s[-1]
        lifetime = _number(last.value("lifetime"))
        if not lifetime:
            return None
        given = _number(last.value("rekey_time"))
        return given if given is not None else lifetime * defaults.REKEY_PERCENT // 100

    def lifetime(self, ike: bool) -> tuple[int | None, str]:
        """The lifetime written, and where."""
        element = self.phase1 if ike else (self.phase2s[-1] if self.phase2s else self.phase1)
        given = element.value("lifetime")
        return (int(given) if given and given.isdecimal() else None), element.where_of("lifetime")

    def dpd(self) -> tuple[int, int] | None:
        delay, maxfail = self.phase1.value("dpd_delay"), self.phase1.value("dpd_maxfail")
        if not (delay and maxfail and delay.isdecimal() and maxfail.isdecimal()):
            return None
        return int(delay), int(maxfail)

    def start_action(self) -> str:
        given = self.phase1.value("startaction")
        action = "start" if self.vti else "trap"
        if given and not (self.vti and given == "trap"):
            action = given
        return action

    def dpd_action(self) -> str:
        closing = self.phase1.value("closeaction")
        if self.dpd() is None:
            return "clear"
        action = "trap"  # pfSense's while its start action is trap
        if closing:
            action = {"trap": "trap", "start": "restart"}.get(closing, "clear")
        return "restart" if self.vti and action == "trap" else action  # a VTI cannot trap

    # -- identities, selectors, key --
    def identity(self, side: str) -> str | None:
        """Its identity (``my``) or the one it expects (``peer``) as swanctl's id, None
        for the address (``myaddress``, ``peeraddress``)."""
        kind = self.phase1.value(f"{side}id_type") or f"{side}address"
        data = self.phase1.value(f"{side}id_data") or ""
        if kind in ("myaddress", "peeraddress"):
            return None
        prefix = {"user_fqdn": "userfqdn:", "fqdn": "fqdn:", "keyid tag": "keyid:",
                  "dyn_dns": "dns:"}.get(kind, "")  # fmt: skip
        return "%any" if kind == "any" else prefix + data

    def selectors(self, side: str) -> str | None:
        found = []
        for p2 in self.phase2s:
            cidr = self._cidr(p2.find(f"{side}id"), p2.value("mode") or "tunnel")
            if cidr is None:
                return None
            found.append(cidr)
        if self.vti:
            found += ["0.0.0.0/0", "::/0"]  # ipsec_setup_vtireq
        return ",".join(found) if found else None

    def _cidr(self, ident: Element | None, mode: str) -> str | None:
        """``ipsec_idinfo_to_cidr``: an address, a network, none, or an interface's subnet."""
        if ident is None:
            return None
        kind = ident.value("type") or ""
        if kind == "address":
            return ident.value("address")
        if kind == "network":
            return f"{ident.value('address')}/{ident.value('netbits')}"
        if kind in ("none", "mobile"):
            return "0.0.0.0/0"
        address = self.conf.root.value("interfaces", kind, "ipaddr")
        bits = self.conf.root.value("interfaces", kind, "subnet")
        try:
            return str(ipaddress.IPv4Network(f"{address}/{bits}", strict=False))
        except ValueError:
            return None

    def key(self) -> tuple[str | None, str]:
        found = self.phase1.value("pre-shared-key")
        return found, self.phase1.where_of("pre-shared-key")

    # -- the VTI --
    def vti_addresses(self) -> tuple[str, str] | None:
        """The VTI's own and far addresses (its phase 2's local and remote ids)."""
        for p2 in self.phase2s:
            if p2.value("mode") == "vti":
                local, remote = p2.value("localid", "address"), p2.value("remoteid", "address")
                return (local, remote) if local and remote else None
        return None

    @property
    def ifname(self) -> str:
        """``ipsec_get_ifname``: ipsec + the reqid of the phase 1's first phase 2 (IKEv2;
        disabled ones count) or of its own (IKEv1, splitconn)."""
        first = self.phase2s[0] if self.split else next(
            (p for p in self.conf.root.all("ipsec", "phase2") if p.value("ikeid") == self.ikeid),
            self.phase2s[0] if self.phase2s else None,
        )  # fmt: skip
        return f"ipsec{first.value('reqid') if first is not None else ''}"


def _group(number: str | None) -> str:
    """``ipsec_convert_to_modp``: a group it does not know is left out, as pfSense does."""
    if not number or not number.isdecimal() or int(number) not in GROUPS:
        return ""
    return f"-{GROUPS[int(number)]}"


def _number(value: str | None) -> int | None:
    return int(value) if value is not None and value.isdecimal() else None


def phase1s(conf: PfConf) -> list[Element]:
    return conf.root.all("ipsec", "phase1")


def frr_package(conf: PfConf) -> Element | None:
    """The FRR package's BGP, if configured (not read: said by lint and the twin)."""
    packages = conf.root.find("installedpackages")
    return packages.find("frrbgp") if packages is not None else None


def pf_tunnels(conf: PfConf) -> list[PfTunnel]:
    """The SA pairs pfSense brings up, in its phase 1s' order."""
    phase2s = conf.root.all("ipsec", "phase2")
    out = []
    for phase1 in phase1s(conf):
        if phase1.has("disabled") or phase1.has("mobile") or not phase1.all("encryption", "item"):
            continue  # a mobile phase 1 is pfSense's remote-access server, not a tunnel
        ikeid = phase1.value("ikeid")
        children = [p for p in phase2s if p.value("ikeid") == ikeid and not p.has("disabled")]
        whole = PfTunnel(conf, phase1, children)
        if whole.split:
            out += [PfTunnel(conf, phase1, [p]) for p in children]
        elif children:
            out.append(whole)
    return out


def record(t: PfTunnel) -> ConfiguredTunnel:
    dpd = t.dpd()
    return ConfiguredTunnel(
        t.label,
        t.phase1.line,
        t.conf.source,
        None,
        t.remote,
        t.identity("my") or t.local,
        # a VTI proposes its addresses and 0.0.0.0/0: AWS's 0.0.0.0/0 takes the widest
        "0.0.0.0/0" if t.vti else t.selectors("local"),
        "0.0.0.0/0" if t.vti else t.selectors("remote"),
        t.ike_words(),
        t.esp_words(),
        {},
        {"trap": "hold"}.get(t.dpd_action(), t.dpd_action()) if dpd else "none",
        "1",  # pfSense writes no keyingtries: strongSwan's default, one try
        [(t.phase2s[0].where_of("mode"), f"mode vti ({t.ifname})")] if t.vti else [],
        start_action=t.start_action(),
        left=t.local,
        version=t.version,
        aggressive=t.aggressive,
        origins={
            "ike": t.phase1.where_of("encryption"),
            "version": t.phase1.where_of("iketype"),
            "esp": t.phase2s[0].where if t.phase2s else t.phase1.where,
        },  # fmt: skip
    )


def inside_cidr(t: PfTunnel) -> str | None:
    """A VTI's /30 (``ipsec_idinfo_to_cidr`` with its address bits: /30)."""
    found = t.vti_addresses()
    try:
        return str(ipaddress.IPv4Interface(f"{found[0]}/30").network) if found else None
    except ValueError:
        return None


def secrets_of(tunnels: list[PfTunnel]) -> list[Secret]:
    out, seen = [], set()
    for t in tunnels:
        key, where = t.key()
        if key and t.remote and t.ikeid not in seen:
            seen.add(t.ikeid)
            out.append(Secret([t.remote], "PSK", key, int(where.rsplit(":", 1)[1]),
                              t.conf.source))  # fmt: skip
    return out
