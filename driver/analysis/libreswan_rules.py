"""Lint rules for a customer's Libreswan configuration (driver/cgw/libreswan/).

Libreswan's own parsers, from the version vpnlab pins, judge its syntax and its
proposals, and what they refuse is said in their words: ``readwriteconf`` (a
file with a syntax error, an unknown keyword or a value a keyword does not take
is refused whole; a conn with a key set twice, or an ``also=`` to nowhere, alone)
and ``algparse`` (``IKE DH algorithm 'modp1024' is not supported``: AWS's old
Openswan sample, on Libreswan 4.x). The tunnels it loads then answer to the rules
every implementation's tunnels do (cgw_rules.tunnel_findings), their proposals
read in AWS's names from Libreswan's own expansion of them.
"""

from __future__ import annotations

import re
from pathlib import Path

from driver.analysis.cgw_bgp_rules import bgp_findings
from driver.analysis.cgw_proposals import acceptable, no_common, weak_findings
from driver.analysis.cgw_rules import include_findings, syntax_finding, tunnel_findings
from driver.analysis.cgw_secrets import secret_findings
from driver.analysis.cgw_start_rules import start_findings
from driver.analysis.findings import Finding
from driver.cgw.folder import CustomerConfigError
from driver.cgw.libreswan import files, tools
from driver.cgw.libreswan.install import LibreswanMissing, release
from driver.cgw.libreswan.tunnels import tunnels_of
from driver.cgw.record import ConfiguredTunnel
from driver.cgw.settings import ConfigSyntaxError
from driver.lab import aws_rules
from driver.lab.model import Lab, TunnelOptions

LIBRESWAN_RULES = {
    "conf-libreswan-refuses": "Libreswan's parser refuses the file or a conn (its own words)",
    "conf-libreswan-proposal": "Libreswan refuses a proposal (modp1024 on Libreswan 4.x …)",
    "conf-libreswan-ikev1": "an IKEv1 conn that Debian's build of Libreswan does not add",
}
HINT = "see `man ipsec.conf` of Libreswan {release}; fix it where Libreswan says"
_CONN = re.compile(r"conn '?([^'\s]+)'?")  # a conn Libreswan names in its words


def lint_libreswan(lab: Lab, config: Path, secrets: Path | None) -> list[Finding]:
    try:
        customer = files.load(config, secrets)
        parsed = tools.readwriteconf(customer)
    except (CustomerConfigError, LibreswanMissing) as exc:
        return [Finding("conf-files", "error", str(config), str(exc), "see `vpnlab lint --help`")]
    except ConfigSyntaxError as exc:
        return [syntax_finding(exc, "Libreswan")]
    out = [_refusal(where, words, customer) for where, words in parsed.errors]
    out += include_findings(customer.folder, "an NSS database and sysctls of its own")
    if not parsed.loaded:
        return out
    refused = {name for _, words in parsed.errors for name in _CONN.findall(words)}
    tunnels = [t for t in tunnels_of(customer) if t.name not in refused]
    out += _ikev1_findings(customer, tunnels)
    out += tunnel_findings(lab, tunnels, str(config), "Libreswan", _proposal_findings)
    out += start_findings(lab, tunnels, customer.folder)
    out += secret_findings(lab, tunnels, customer.secrets)
    out += bgp_findings(lab, customer.folder)
    return out


def _ikev1_findings(
    customer: files.LibreswanConfig, tunnels: list[ConfiguredTunnel]
) -> list[Finding]:
    """Debian's Libreswan (the build vpnlab runs) drops IKEv1 unless config setup says
    ikev1-policy=accept (its changelog, 4.5-2: 'Make ikev1-policy default to "drop"');
    pluto then refuses to add the conn. Builds differ, so a warning: the check's
    verdict is this build's."""
    setup = next((s for s in customer.conf.sections if s.name == "setup"), None)
    if setup is not None and setup.get("ikev1-policy") == "accept":
        return []
    return [
        Finding(
            "conf-libreswan-ikev1",
            "warning",
            t.origin("version"),
            f"{t.name}: IKEv1 (ikev2={t.settings.get('ikev2') if t.settings else '?'}): "
            f"Libreswan {release()} as Debian builds it, the build vpnlab runs, does not add "
            "an IKEv1 conn unless config setup sets ikev1-policy=accept (its default is "
            "'drop' since Debian's 4.5-2); other builds and releases may differ, and "
            "`vpnlab check` gives this build's verdict",
            "use IKEv2 (ikev2=insist), as AWS recommends; or set ikev1-policy=accept in "
            "config setup",
        )
        for t in tunnels
        if t.version == "1"
    ]


def _refusal(where: str, words: str, customer: files.LibreswanConfig) -> Finding:
    """A file refused whole has a place; a conn refused is placed at the conn."""
    what = "refuses the file"
    if not where:
        what = "does not load the conn"
        named = _CONN.findall(words)[-1:]  # "… needed by conn 'Tunnel3'": the last one
        section = next((s for s in customer.conf.sections if [s.name] == named), None)
        where = f"{section.source}:{section.line}" if section else str(customer.folder.given)
    return Finding(
        "conf-libreswan-refuses",
        "error",
        where,
        f"Libreswan {release()} {what}: {words}",
        HINT.format(release=release()),
    )


def _proposal_findings(
    t: ConfiguredTunnel, lab: Lab, i: int, options: TunnelOptions
) -> list[Finding]:
    """IKE and ESP as Libreswan expands them (algparse), judged in AWS's names."""
    if i < len(lab.tunnels):
        options = lab.tunnels[i].options
    pfs = has_pfs(t)
    out = []
    for kind, key, text, phase in (
        ("IKE", "ike", t.ike, options.phase1),
        ("ESP", "esp", t.esp, options.phase2),
    ):
        if not text:
            continue  # Libreswan's defaults
        expanded = tools.algparse(key, text, ikev1=t.version == "1", pfs=pfs)
        where = t.origin(key)
        if expanded.errors:
            out.append(
                Finding(
                    "conf-libreswan-proposal",
                    "error",
                    where,
                    f"{t.name}: Libreswan {release()} refuses {kind} '{text}': "
                    + "; ".join(expanded.errors),
                    "offer what both Libreswan and the tunnel options accept, e.g. "
                    "ike=aes256-sha2_256;modp2048 and phase2alg=aes256-sha2_256;modp2048",
                )
            )
            continue
        proposals = [aws_names(p) for p in expanded.expanded]
        if not any(acceptable(p, phase, kind == "IKE") for p in proposals):
            libreswans = f"(Libreswan: {', '.join(expanded.expanded)})"
            out.append(
                no_common(
                    kind, where, f"{t.name}: no {kind} proposal in '{text}' {libreswans}", phase
                )
            )
        out += weak_findings(t.name, kind, proposals, where)
    if not pfs:
        out.append(
            Finding(
                "conf-no-pfs",
                "warning",
                t.origin("pfs") if "pfs" in t.origins else t.where,
                f"{t.name}: pfs=no: the first CHILD_SA comes up, but AWS requires PFS when "
                "it rekeys (phase 2 lifetime)",
                "remove pfs=no (Libreswan's default is yes)",
            )
        )
    return out


# Libreswan's expanded names -> AWS's (algparse's spelling, Libreswan 4.10)
_ENCRYPTION = {
    "AES_CBC_128": {"AES128"},
    "AES_CBC_256": {"AES256"},
    "AES_CBC": {"AES128", "AES256"},
    "AES_GCM_16_128": {"AES128-GCM-16"},
    "AES_GCM_16_256": {"AES256-GCM-16"},
    "AES_GCM_16": {"AES128-GCM-16", "AES256-GCM-16"},
}
_INTEGRITY = {
    "HMAC_SHA1": "SHA1",
    "HMAC_SHA1_96": "SHA1",
    "HMAC_SHA2_256": "SHA2-256",
    "HMAC_SHA2_256_128": "SHA2-256",
    "HMAC_SHA2_384": "SHA2-384",
    "HMAC_SHA2_384_192": "SHA2-384",
    "HMAC_SHA2_512": "SHA2-512",
    "HMAC_SHA2_512_256": "SHA2-512",
}
_MODP = {1024: 2, 1536: 5, 2048: 14, 3072: 15, 4096: 16, 6144: 17, 8192: 18}


def has_pfs(t: ConfiguredTunnel) -> bool:
    """pfs= (Libreswan's default: yes; the group is the IKE SA's when esp= names none)."""
    return t.settings is None or t.settings.get("pfs", "yes") != "no"


def proposals_in_aws_names(t: ConfiguredTunnel, ike: bool) -> list[dict[str, set]]:
    """A tunnel's IKE or ESP proposals as Libreswan expands them, in AWS's names
    (none where Libreswan refuses them or the tunnel leaves Libreswan's defaults)."""
    text = t.ike if ike else t.esp
    if not text:
        return []
    expanded = tools.algparse("ike" if ike else "esp", text, t.version == "1", has_pfs(t))
    return [aws_names(p) for p in expanded.expanded]


def aws_names(expanded: str) -> dict[str, set]:
    """One expanded proposal (``AES_CBC_256-HMAC_SHA2_256-MODP2048+DH19``) in the
    kinds and names cgw_proposals.acceptable reads."""
    parsed: dict[str, set] = {k: set() for k in ("enc", "integ", "prf", "dh", "other")}
    enc, *rest = expanded.split("-")
    parsed["enc"] |= _ENCRYPTION.get(enc, set())
    if enc not in _ENCRYPTION:
        parsed["other"].add(enc)
    for token in rest:
        for part in token.split("+"):
            if part in _INTEGRITY:  # in IKE it is the PRF too
                parsed["integ"].add(_INTEGRITY[part])
                parsed["prf"].add(_INTEGRITY[part])
            elif (modp := re.fullmatch(r"MODP(\d+)", part)) and int(modp[1]) in _MODP:
                parsed["dh"].add(_MODP[int(modp[1])])
            elif (dh := re.fullmatch(r"DH(\d+)", part)) and int(dh[1]) in aws_rules.DH_GROUPS:
                parsed["dh"].add(int(dh[1]))
            elif part.startswith(("HMAC_", "AES_XCBC", "AES_CMAC")):  # an integrity AWS lacks
                parsed["other"].add(part)
            # other DH groups (DH31, ...) are alternatives AWS does not pick; NONE: AEAD
    return parsed
