"""A pfSense router's IPsec as strongSwan files that negotiate as it would: its twin.
pfSense runs strongSwan itself, so the twin writes what ``ipsec_setup_tunnels``
(``src/etc/inc/ipsec.inc``, RELENG_2_7_2) writes: a connection per phase 1 with
its version, proposals in order, renewal (IKEv2 and auto rekey, IKEv1
reauthenticates, at 90% of the lifetime), DPD and its action, identities and
aggressive mode; a child per SA pair with the phase 2s' selectors (a VTI's with
``0.0.0.0/0,::/0`` added), ESP proposals with the PFS group, 90% rekeys, the start
action (``trap`` unless told; a VTI starts) and the phase 1's close action. A VTI
is an XFRM interface with the phase 2's local address (/30) and the static routes
whose gateway is on it, there whether or not its SAs are (pfSense's ``ipsecN``
interface is).

What the twin cannot be is said, not guessed (``Untranslatable``): a peer by host
name, certificates, EAP or xauth, transport mode, IPv6 phase 2s, AH, a phase 1
without a key or a proposal, several VTI phase 2s under one IKEv2 phase 1 (one
interface with aliases), several phase 2s under an IKEv1 (or splitconn) phase 1, a
NAT/BINAT local network, key length "auto", the FRR package's BGP (not read). It
tries once, as pfSense's strongSwan does (no keyingtries written). What it never
shows: pfSense's own strongSwan build and FreeBSD's IPsec stack (``if_ipsec``, reqid
binding), the phase 2 Keep Alive's periodic restarts, forced UDP encapsulation,
MOBIKE, ``unique = replace``, firewall rules on the IPsec tab, gateway monitoring."""

from __future__ import annotations

from driver.cgw.pfsense import defaults
from driver.cgw.pfsense.conf import PfConf
from driver.cgw.pfsense.routes import static_routes
from driver.cgw.pfsense.tunnels import PfTunnel, frr_package, pf_tunnels
from driver.cgw.router import Twin, Untranslatable
from driver.cgw.twin_swanctl import TwinTunnel, interface_address, ipv4_network, secret_text
from driver.cgw.twin_swanctl import twin as twin_of
from driver.core.addresses import is_ipv4

UPDOWN = "/etc/swanctl/pfsense-twin-updown.sh"
CHILD_REKEY = 3600  # strongSwan's, where a phase 2 has no lifetime


def twin(conf: PfConf, source: str) -> Twin:
    problems = [f"{where}: {what}" for where, what in conf.problems]
    bgp = frr_package(conf)
    if bgp is not None:
        problems.append(
            f"{bgp.where}: the FRR package's BGP is configured, and vpnlab does not read it "
            "yet: a twin without it would not route as the router does"
        )
    tunnels = pf_tunnels(conf)
    for ikeid in sorted({t.ikeid for t in tunnels if t.split}):
        children = [t for t in tunnels if t.ikeid == ikeid]
        if len(children) > 1:
            problems.append(
                f"{children[1].phase2s[0].where}: phase 1 {ikeid} has {len(children)} phase 2s "
                "under IKEv1 (or splitconn): one IKE SA with a child each, which the twin's "
                "connections (one child each) do not write; AWS holds one SA pair per tunnel"
            )
    header = (
        f"# vpnlab: the twin of the pfSense in {source}: strongSwan as {defaults.RELEASE}'s\n"
        "# ipsec_setup_tunnels writes it, from its phase 1 and phase 2 entries.\n"
    )
    return twin_of("pfSense", tunnels, _tunnel, problems, header, UPDOWN, "ipsec")


def _tunnel(t: PfTunnel, n: int) -> TwinTunnel:
    reasons = _reasons(t)
    if reasons:
        raise Untranslatable("\n  ".join(reasons))
    key, _ = t.key()
    dpd = t.dpd()
    version = t.version
    rekey, reauth = t.ike_renewal()
    local, remote = t.vti_addresses() or ("", "")
    reqid = t.phase2s[0].value("reqid") or str(n)
    return TwinTunnel(
        n,
        f"con{t.ikeid}",
        f"con{t.ikeid}_{reqid}" if t.split else f"con{t.ikeid}",
        version,
        t.remote or "",
        secret_text(key or ""),
        t.ike_words(),
        t.esp_words(),
        str(reauth if version == "1" else rekey),
        str(t.child_rekey() or CHILD_REKEY),
        dpd[0] if dpd else 0,
        t.start_action(),
        t.dpd_action(),
        # myaddress: pfSense writes its interface's address as its id, NAT or not
        local_id=t.identity("my") or t.local,
        remote_id=t.identity("peer"),
        aggressive=t.aggressive,
        local_ts=t.selectors("local") or "",
        remote_ts=t.selectors("remote") or "",
        address=interface_address(f"{local}/30", t.phase2s[0].where, "VTI local address")
        if t.vti
        else "-",
        routes=tuple(ipv4_network(r.destination, r.where) for r in static_routes(t.conf, t)),
        interface=t.vti,
        persistent=t.vti,
        # written only for a phase 1 that says ikev1 (redmine #12184)
        dpd_timeout=dpd[0] * (dpd[1] + 1) if dpd and t.phase1.value("iketype") == "ikev1" else 0,
        close_action=t.phase1.value("closeaction") or "none",
        keyingtries=1,  # pfSense writes none: strongSwan's default
        reauth_time=str(reauth) if version != "1" else "0",
    )


def _reasons(t: PfTunnel) -> list[str]:
    where, label = t.phase1.where, t.label
    out = []
    method = t.phase1.value("authentication_method") or "pre_shared_key"
    if method != "pre_shared_key":
        out.append(f"{t.phase1.where_of('authentication_method')}: {label}: authentication "
                   f"{method}: AWS's tunnels authenticate with pre-shared keys")  # fmt: skip
    elif not t.key()[0]:
        out.append(f"{where}: {label}: no pre-shared key (<pre-shared-key>)")
    if not is_ipv4(t.remote or ""):
        out.append(f"{t.phase1.where_of('remote-gateway')}: {label}: the remote gateway is "
                   f"{t.remote or 'not set'} (the twin needs AWS's tunnel address)")  # fmt: skip
    if not t.ike_words():
        out.append(f"{where}: {label}: no phase 1 proposal pfSense would write")
    for p2 in t.phase2s:
        mode = p2.value("mode") or "tunnel"
        if mode not in ("tunnel", "vti"):
            out.append(f"{p2.where_of('mode')}: phase 2 {p2.value('reqid')}: mode {mode}: "
                       "not translated (AWS's tunnels are IPv4 tunnel mode)")  # fmt: skip
        if (p2.value("protocol") or "esp") != "esp":
            out.append(f"{p2.where_of('protocol')}: phase 2 {p2.value('reqid')}: "
                       f"{p2.value('protocol')}: AWS carries ESP")  # fmt: skip
    if t.selectors("local") is None or t.selectors("remote") is None:
        out.append(f"{where}: {label}: a phase 2's local or remote network has no address "
                   "vpnlab can read (an interface with no static address?)")  # fmt: skip
    for p2 in t.phase2s:
        nat = p2.find("natlocalid")
        if nat is not None and nat.children:  # pfSense: !empty($ph2ent['natlocalid'])
            out.append(f"{p2.where_of('natlocalid')}: phase 2 {p2.value('reqid')}: a NAT/BINAT "
                       "local network (pfSense negotiates it in the local one's place): not "
                       "translated")  # fmt: skip
        if any(o.value("keylen") == "auto" for o in p2.all("encryption-algorithm-option")):
            out.append(f"{p2.where}: phase 2 {p2.value('reqid')}: key length auto (every "
                       "length, longest first): not translated; choose one")  # fmt: skip
    vtis = [p for p in t.phase2s if p.value("mode") == "vti"]
    if len(vtis) > 1:
        out.append(f"{vtis[1].where}: {label}: several VTI phase 2s under one IKEv2 phase 1 "
                   "(one interface with aliases): not translated")  # fmt: skip
    if vtis and t.vti_addresses() is None:
        out.append(f"{vtis[0].where}: {label}: a VTI phase 2 without its local and remote "
                   "addresses")  # fmt: skip
    return out
