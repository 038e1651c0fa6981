"""The sheet's table of the tunnel options in each device's words: a column per
device (driver/handoff/vendor_words.py), one table for both tunnels when their
options agree, one per tunnel when they do not."""

from __future__ import annotations

from driver.handoff.document import Row, Section
from driver.handoff.vendor_words import VOCABULARIES, Vocabulary
from driver.lab import aws_rules
from driver.lab.model import Tunnel, TunnelOptions

# row -> (its label's words key, the AWS option it comes from)
ROWS = {
    "version": ("row.version", "IKEVersions"),
    "phase1.encryption": ("row.encryption", "Phase1EncryptionAlgorithms"),
    "phase1.integrity": ("row.integrity", "Phase1IntegrityAlgorithms"),
    "phase1.dh": ("row.dh", "Phase1DHGroupNumbers"),
    "phase1.lifetime": ("row.lifetime", "Phase1LifetimeSeconds"),
    "phase2.encryption": ("row.encryption", "Phase2EncryptionAlgorithms"),
    "phase2.integrity": ("row.integrity", "Phase2IntegrityAlgorithms"),
    "phase2.pfs": ("row.pfs", "Phase2DHGroupNumbers"),
    "phase2.lifetime": ("row.lifetime", "Phase2LifetimeSeconds"),
}


def sections(tunnels: tuple[Tunnel, ...], s) -> list[Section]:
    options = [t.options for t in tunnels]
    if all(o == options[0] for o in options):
        return [_section(options[0], s, s("section.devices"))]
    return [
        _section(o, s, s("section.devices_tunnel", n=n)) for n, o in enumerate(options, start=1)
    ]


def _section(options: TunnelOptions, s, title: str) -> Section:
    header = (s("col.item"), s("col.aws"), *(v.title for v in VOCABULARIES), s("col.source"))
    aws = aws_words(options)
    columns = [device_words(v, options, s) for v in VOCABULARIES]
    table = [
        Row(_label(row, s), (aws[row], *(c[row] for c in columns)), source)
        for row, (_, source) in ROWS.items()
    ]
    table.append(
        Row(s("row.device_source"), (s("v.aws_guide"), *(v.source for v in VOCABULARIES)), "—")
    )
    guessed = any("?" in cell for column in columns for cell in column.values())
    return Section(title, header, tuple(table), s("v.guessed") if guessed else "")


def _label(row: str, s) -> str:
    key = ROWS[row][0]
    phase = row.partition(".")[0]
    return s(key) if phase == "version" else f"{s(f'section.{phase}')}: {s(key)}"


def aws_words(o: TunnelOptions) -> dict[str, str]:
    out = {"version": ", ".join(v.replace("ikev", "IKEv") for v in o.ike_versions)}
    for n, phase in ((1, o.phase1), (2, o.phase2)):
        out[f"phase{n}.encryption"] = ", ".join(phase.encryption)
        out[f"phase{n}.integrity"] = ", ".join(phase.integrity)
        out[f"phase{n}.{'dh' if n == 1 else 'pfs'}"] = ", ".join(str(g) for g in phase.dh_groups)
        out[f"phase{n}.lifetime"] = str(phase.lifetime)
    return out


def device_words(v: Vocabulary, o: TunnelOptions, s) -> dict[str, str]:
    """Each row's words for device ``v``, for tunnel options ``o``."""
    versions = o.ike_versions
    p1, p2 = o.phase1, o.phase2

    def ike(kind: str) -> str:
        v2 = getattr(v, f"ike_{kind}")
        if kind == "integrity" and _aead(p1.encryption) and v.ike_prf:
            v2 = v.ike_prf  # GCM: the integrity algorithm names the PRF
        v1 = getattr(v, f"ikev1_{kind}") or v2
        values = getattr(p1, kind)
        if v1 is v2 or "ikev1" not in versions:
            return words(values, v2, s)
        if "ikev2" not in versions:
            return words(values, v1, s)
        return f"IKEv2: {words(values, v2, s)}; IKEv1: {words(values, v1, s)}"

    ike_lifetime = v.ikev1_lifetime if versions == ("ikev1",) and v.ikev1_lifetime else None
    return {
        "version": v.versions["both" if len(versions) > 1 else versions[0]],
        "phase1.encryption": ike("encryption"),
        "phase1.integrity": ike("integrity"),
        "phase1.dh": words(p1.dh_groups, v.ike_groups, s),
        "phase1.lifetime": (ike_lifetime or v.ike_lifetime).format(seconds=p1.lifetime),
        "phase2.encryption": words(p2.encryption, v.esp_encryption, s),
        "phase2.integrity": "— (GCM)"
        if _aead(p2.encryption)
        else words(p2.integrity, v.esp_integrity, s),
        "phase2.pfs": words(p2.dh_groups, v.pfs_groups, s),
        "phase2.lifetime": v.esp_lifetime.format(seconds=p2.lifetime),
    }


def _aead(encryption) -> bool:
    return all(e in aws_rules.AEAD_ENCRYPTION for e in encryption)


def words(values, table: dict, s) -> str:
    """The device's words for AWS's ``values``; what it cannot set, or what is not
    known to be settable ('?' in driver/handoff/vendor_words.py), is named."""
    known = [table[v] for v in values if table.get(v) not in (None, "?")]
    missing = ", ".join(str(v) for v in values if table.get(v) is None)
    unknown = ", ".join(str(v) for v in values if table.get(v) == "?")
    notes = [s("v.not_offered", names=missing)] if missing else []
    notes += [s("v.not_confirmed", names=unknown)] if unknown else []
    text = ", ".join(dict.fromkeys(known)) or "—"
    return f"{text} ({'; '.join(notes)})" if notes else text
