"""What to ask the other company before designing: ``vpnlab sheet --questionnaire``.

The questions are data (one ``Question`` per answer key, in English and Japanese);
the blank questionnaire is YAML with each question as a comment beside its key, or
a workbook with a row per question and an answer column. Filled in, either is read
by driver/handoff/answers.py for ``vpnlab init --from-answers``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook

from driver.handoff.workbook import finished, header, titled
from driver.lab import aws_rules


@dataclass(frozen=True)
class Question:
    key: str  # section.name in the answers
    en: str
    ja: str
    blank: str  # what the blank questionnaire holds, as YAML


AWS_ENCRYPTION = ", ".join(aws_rules.ENCRYPTION)
AWS_INTEGRITY = ", ".join(aws_rules.INTEGRITY)

QUESTIONS = (
    Question("connection.name", "A short name for this connection (lowercase, digits, '-').",
             "この接続の短い名前（英小文字、数字、'-'）", '""'),
    Question("device.vendor", "Your VPN device's vendor or software (e.g. Cisco, FortiGate, "
             "Palo Alto, Juniper, Yamaha, MikroTik, VyOS, pfSense, OPNsense, strongSwan, "
             "Libreswan).",
             "VPN 機器のベンダーまたはソフトウェア（例: Cisco、FortiGate、Palo Alto、Juniper、"
             "Yamaha、MikroTik、VyOS、pfSense、OPNsense、strongSwan、Libreswan）", '""'),
    Question("device.model", "Its model.", "機種", '""'),
    Question("device.software_version", "Its software version.", "ソフトウェアのバージョン", '""'),
    Question("address.public_ip", "The public IPv4 address AWS will see from your device "
             "(behind NAT: the NAT device's).",
             "AWS から見えるお客様機器のグローバル IPv4 アドレス"
             "（NAT の内側なら NAT 機器のもの）",
             '""'),
    Question("address.static", "Is that address static? (yes/no)",
             "そのアドレスは固定ですか（yes/no）", "yes"),
    Question("address.behind_nat", "Is your device behind NAT? (yes/no)",
             "機器は NAT の内側にありますか（yes/no）", "no"),
    Question("tunnels.kind", "Route-based (tunnel interfaces, VTI) or policy-based (crypto "
             "maps, selectors)? (route/policy)",
             "ルートベース（トンネルインターフェイス、VTI）かポリシーベース（クリプトマップ、"
             "セレクター）か（route/policy）", "route"),
    Question("tunnels.can_initiate", "Can your device start the IKE negotiation? (yes/no)",
             "お客様の機器から IKE ネゴシエーションを開始できますか（yes/no）", "yes"),
    Question("routing.bgp", "Do you want BGP (dynamic routing)? (yes/no)",
             "BGP（ダイナミックルーティング）を使いますか（yes/no）", "no"),
    Question("routing.asn", "Your BGP ASN (BGP only).", "お客様側の BGP ASN（BGP の場合のみ）",
             "65000"),
    Question("routing.networks", "Your networks that must reach AWS (CIDRs).",
             "AWS と通信するお客様側ネットワーク（CIDR）", "[]"),
    Question("proposals.ike_versions", "IKE versions your device can use (ikev1, ikev2).",
             "機器が使える IKE バージョン（ikev1、ikev2）", "[ikev2]"),
    Question("proposals.phase1_encryption",
             f"Phase 1 encryption your device supports ({AWS_ENCRYPTION}).",
             f"フェーズ 1 の暗号化アルゴリズム（{AWS_ENCRYPTION}）", "[]"),
    Question("proposals.phase1_integrity", f"Phase 1 integrity ({AWS_INTEGRITY}).",
             f"フェーズ 1 の完全性アルゴリズム（{AWS_INTEGRITY}）", "[]"),
    Question("proposals.phase1_dh_groups", "Phase 1 Diffie-Hellman groups (numbers).",
             "フェーズ 1 の Diffie-Hellman グループ（番号）", "[]"),
    Question("proposals.phase1_lifetime", "Phase 1 lifetime in seconds (AWS: 900-28800).",
             "フェーズ 1 のライフタイム（秒、AWS は 900〜28800）", "28800"),
    Question("proposals.phase2_encryption", f"Phase 2 encryption ({AWS_ENCRYPTION}).",
             f"フェーズ 2 の暗号化アルゴリズム（{AWS_ENCRYPTION}）", "[]"),
    Question("proposals.phase2_integrity", f"Phase 2 integrity ({AWS_INTEGRITY}).",
             f"フェーズ 2 の完全性アルゴリズム（{AWS_INTEGRITY}）", "[]"),
    Question("proposals.phase2_pfs_groups", "Phase 2 PFS groups (numbers; AWS requires PFS).",
             "フェーズ 2 の PFS グループ（番号。AWS は PFS 必須）", "[]"),
    Question("proposals.phase2_lifetime", "Phase 2 lifetime in seconds (AWS: 900-3600).",
             "フェーズ 2 のライフタイム（秒、AWS は 900〜3600）", "3600"),
)  # fmt: skip

TITLE = {
    "en": "vpnlab questionnaire: your side of the AWS Site-to-Site VPN",
    "ja": "vpnlab ヒアリングシート: AWS Site-to-Site VPN のお客様側",
}
HOW = {
    "en": "Answer each question; an empty list means any value AWS offers will do. "
    "Send it back as it is: `vpnlab init --from-answers FILE` reads it.",
    "ja": "各質問に回答してください。空のリストは「AWS が提供する値ならどれでも可」の意味です。"
    "このままご返送ください（`vpnlab init --from-answers FILE` で読み込みます）。",
}


def questionnaire_yaml(lang: str) -> str:
    lines = [f"# {TITLE[lang]}", f"# {HOW[lang]}"]
    section = None
    for q in QUESTIONS:
        head, _, name = q.key.partition(".")
        if head != section:
            lines += ["", f"{head}:"]
            section = head
        lines.append(f"  {name}: {q.blank}".ljust(34) + f"# {q.ja if lang == 'ja' else q.en}")
    return "\n".join(lines) + "\n"


def questionnaire_workbook(lang: str, path: Path) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = "questions" if lang == "en" else "質問"
    titled(sheet, TITLE[lang])
    sheet.append([HOW[lang]])
    header(
        sheet, ["key", "question" if lang == "en" else "質問", "answer" if lang == "en" else "回答"]
    )
    for q in QUESTIONS:
        sheet.append([q.key, q.ja if lang == "ja" else q.en, q.blank.strip('"[]')])
    finished(sheet, (30, 70, 30))
    book.save(path)
    return path
