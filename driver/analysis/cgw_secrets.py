"""Lint rules for the customer's pre-shared keys: does each tunnel have one, could
AWS hold it, and is it the key the lab sets (compared, never printed)?

A secret applies to a tunnel as strongSwan matches shared keys: one that names
the tunnel's remote address; else one with no ids, ``%any`` or ``%any6``
(``: PSK "…"``); else one that names only the gateway's own id.
"""

from __future__ import annotations

from driver.analysis.cgw_tunnels import ConfiguredTunnel
from driver.analysis.findings import Finding
from driver.analysis.strongswan_conf import Secret
from driver.lab import aws_rules
from driver.lab.model import Lab

ANY = ("%any", "%any6", "0.0.0.0", "::")


def secret_for(tunnel: ConfiguredTunnel, secrets: list[Secret]) -> Secret | None:
    """The pre-shared key strongSwan would use for this tunnel, best match first."""
    psks = [s for s in secrets if s.kind == "PSK"]
    remote = (tunnel.right or "").strip()
    for matches in (
        lambda ids: remote in ids,
        lambda ids: not ids or any(i in ANY for i in ids),
        lambda ids: ids == [tunnel.leftid],
    ):
        found = [s for s in psks if matches(s.ids)]
        if found:
            return found[0]
    return None


def secret_findings(
    lab: Lab, tunnels: list[ConfiguredTunnel], secrets: list[Secret]
) -> list[Finding]:
    out = []
    for n, tunnel in enumerate(tunnels):
        secret = secret_for(tunnel, secrets)
        if secret is None:
            out.append(
                Finding(
                    "conf-secret-missing",
                    "error",
                    tunnel.where,
                    f"{tunnel.name}: no pre-shared key applies to {tunnel.right}",
                    f"add a secret for {tunnel.right} (ipsec.secrets: "
                    f'{tunnel.leftid or "%any"} {tunnel.right} : PSK "…"; swanctl: '
                    "secrets { ike-… { id = …; secret = … } })",
                )
            )
            continue
        where = f"{secret.source}:{secret.line}"
        problems = aws_rules.psk_problems(secret.secret)
        if problems:
            out.append(
                Finding(
                    "conf-secret-missing",
                    "error",
                    where,
                    f"{tunnel.name}: its pre-shared key {'; '.join(problems)}, so it cannot be "
                    "the key AWS holds for the tunnel",
                    "use the key from the VPN connection's configuration download",
                )
            )
        lab_key = lab.tunnels[n].preshared_key if n < len(lab.tunnels) else None
        if lab_key and secret.secret != lab_key:
            out.append(
                Finding(
                    "conf-psk-mismatch",
                    "error",
                    where,
                    f"{tunnel.name}: the customer's pre-shared key is not the one the lab sets "
                    f"in vpn.tunnels[{n}].preshared_key (neither is printed): AWS would answer "
                    "AUTHENTICATION_FAILED",
                    "agree on one key: fix the secret or the lab",
                )
            )
    return out
