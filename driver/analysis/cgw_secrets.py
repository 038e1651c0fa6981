"""Lint rules for the customer's pre-shared keys: does each tunnel have one, could
AWS hold it, and is it the key the lab sets (compared, never printed)?

A secret applies to a tunnel as strongSwan matches shared keys (``secret_for``).
"""

from __future__ import annotations

from driver.analysis.findings import Finding
from driver.cgw.record import ConfiguredTunnel, tunnel_numbers
from driver.cgw.settings import Secret
from driver.lab import aws_rules
from driver.lab.model import Lab

ANY = ("%any", "%any6", "0.0.0.0", "::")
PERFECT, WILDCARD, NONE = 3, 1, 0  # strongSwan's id_match_t, as far as PSKs use it


def secret_for(tunnel: ConfiguredTunnel, secrets: list[Secret]) -> Secret | None:
    """The pre-shared key charon picks for this tunnel (credential_manager.c,
    mem_cred.c at 5.9.8): the best match of the peer's id, then of its own; a
    secret with no ids is %any; on a tie the one loaded last (charon inserts
    each key first)."""
    me = (tunnel.leftid or "").strip().strip('"')
    other = (tunnel.right or "").strip()
    best, best_score = None, (NONE, NONE)
    for secret in reversed([s for s in secrets if s.kind == "PSK"]):
        owners = secret.ids or ["%any"]
        score = (_match(other, owners), _match(me, owners))
        if score == (NONE, NONE):
            continue
        if score[0] > best_score[0] or (score[0] == best_score[0] and score[1] > best_score[1]):
            best, best_score = secret, score
    return best


def _match(identity: str, owners: list[str]) -> int:
    if identity and identity in owners:
        return PERFECT
    return WILDCARD if any(o in ANY for o in owners) else NONE


def secret_findings(
    lab: Lab, tunnels: list[ConfiguredTunnel], secrets: list[Secret]
) -> list[Finding]:
    out = []
    for n, tunnel in zip(tunnel_numbers(tunnels), tunnels, strict=True):
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
