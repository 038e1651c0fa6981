"""The other company's answers to the questionnaire, read from the YAML or the
workbook they filled in: validated (pydantic, unknown keys refused), every problem
at once with its line or row, nothing else done until they are fixed."""

from __future__ import annotations

import io
import ipaddress
import re
import zipfile
from pathlib import Path
from typing import Annotated, Literal

from openpyxl import load_workbook
from pydantic import BaseModel, BeforeValidator, ConfigDict, ValidationError

from driver.core.errors import VpnlabError
from driver.core.input_files import read_bytes
from driver.handoff.questionnaire import QUESTIONS
from driver.lab import yaml_source

MAX_BYTES = 1_000_000  # a filled questionnaire is a few KB
# A workbook is a zip: what it unpacks to is bounded too (a zip bomb is a small file).
MAX_UNPACKED = 20_000_000
YES = {"yes", "y", "true", "on", "はい"}
NO = {"no", "n", "false", "off", "いいえ"}


def _yes_no(value):
    """yes/no as people write it (YAML 1.2 reads ``yes`` as a string)."""
    if isinstance(value, str) and value.strip().lower() in YES | NO:
        return value.strip().lower() in YES
    return value


def _text(value):
    """Free text as people type it (a model 4331 or a version 17.3 is text too); no
    control character: an answer never becomes a line of its own in the lab file."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = str(value)
    if isinstance(value, str) and re.search(r"[\x00-\x1f\x7f]", value):
        raise ValueError("a control character (a line break, a tab) is not an answer")
    return value


def _blank_is_none(value):
    return None if value in ("", None) else value


def _listed(value):
    """A list, also from a workbook cell's ``AES256, AES128``; blank is empty."""
    if value in ("", None):
        return []
    if isinstance(value, str):
        return [item.strip() for item in value.strip("[]").split(",") if item.strip()]
    return value if isinstance(value, list) else [value]


YesNo = Annotated[bool, BeforeValidator(_yes_no)]
Text = Annotated[str, BeforeValidator(_text)]
Words = Annotated[list[str], BeforeValidator(_listed)]
Numbers = Annotated[list[int], BeforeValidator(_listed)]
Networks = Annotated[list[ipaddress.IPv4Network], BeforeValidator(_listed)]
Versions = Annotated[list[Literal["ikev1", "ikev2"]], BeforeValidator(_listed)]
PublicIp = Annotated[ipaddress.IPv4Address | None, BeforeValidator(_blank_is_none)]


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Connection(_Section):
    name: Text = ""


class Device(_Section):
    vendor: Text = ""
    model: Text = ""
    software_version: Text = ""


class Address(_Section):
    public_ip: PublicIp = None
    static: YesNo = True
    behind_nat: YesNo = False


class Tunnels(_Section):
    kind: Literal["route", "policy"] = "route"
    can_initiate: YesNo = True


class Routing(_Section):
    bgp: YesNo = False
    asn: int = 65000
    networks: Networks = []


class Proposals(_Section):
    ike_versions: Versions = ["ikev2"]
    phase1_encryption: Words = []
    phase1_integrity: Words = []
    phase1_dh_groups: Numbers = []
    phase1_lifetime: int = 28800
    phase2_encryption: Words = []
    phase2_integrity: Words = []
    phase2_pfs_groups: Numbers = []
    phase2_lifetime: int = 3600


class Answers(_Section):
    connection: Connection = Connection()
    device: Device = Device()
    address: Address = Address()
    tunnels: Tunnels = Tunnels()
    routing: Routing = Routing()
    proposals: Proposals = Proposals()


def read_answers(path: Path) -> Answers:
    """The answers in ``path`` (.xlsx: the questionnaire's workbook; else its YAML)."""
    if path.suffix.lower() == ".xlsx":
        data, where = _from_workbook(path)
    else:
        data, where = _from_yaml(path)
    try:
        return Answers.model_validate(data)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            key = ".".join(str(p) for p in error["loc"] if not isinstance(p, int))
            problems.append(f"{path}:{where(key)}: {key}: {_said(error)}")
        raise VpnlabError(
            f"{path}: {len(problems)} answer(s) to fix, nothing was written:\n  "
            + "\n  ".join(problems)
            + "\n  (the blank questionnaire: vpnlab sheet --questionnaire)"
        ) from None


def _said(error: dict) -> str:
    if error["type"] == "extra_forbidden":
        keys = ", ".join(q.key for q in QUESTIONS)
        return f"not a question of the questionnaire (its keys: {keys})"
    return f"{error['msg']} (answered {error.get('input')!r})"


def _from_yaml(path: Path):
    try:
        document = yaml_source.parse(
            yaml_source.decode(read_bytes(path, MAX_BYTES, "answers file"))
        )
    except yaml_source.SourceError as exc:
        problem = exc.problem
        said = problem.message.replace("lab file", "answers file")
        raise VpnlabError(f"{path}:{problem.line or 1}: {said}") from None

    def where(key: str) -> str:
        return str(document.lines.get(key, 1))

    return document.data, where


def _from_workbook(path: Path):
    """{section: {name: answer}} from the rows whose first cell is a question's key
    (the title and the instructions above them are not answers)."""
    raw = io.BytesIO(read_bytes(path, MAX_BYTES, "answers workbook"))
    keys = {q.key for q in QUESTIONS}
    data: dict[str, dict] = {}
    rows: dict[str, int] = {}
    try:
        unpacked = sum(member.file_size for member in zipfile.ZipFile(raw).infolist())
        if unpacked > MAX_UNPACKED:
            raise VpnlabError(f"{path} unpacks to {unpacked} bytes: is this the questionnaire?")
        sheet = load_workbook(raw).worksheets[0]
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            key = row[0] if row else None
            if key in keys and len(row) > 2:
                section, _, name = key.partition(".")
                data.setdefault(section, {})[name] = "" if row[2] is None else row[2]
                rows[key] = number
    except VpnlabError:
        raise
    except Exception as exc:  # zipfile's and openpyxl's errors for what is no workbook vary
        raise VpnlabError(f"{path}: not a workbook vpnlab can read ({exc})") from None
    return data, lambda key: f"row {rows.get(key, '?')}"
