"""Loading a lab file: every problem at once, each with its line and a hint.

1. driver/lab/yaml_source.py reads the file with ruamel.yaml (lines of every
   key; duplicate keys, aliases past a bound, non-UTF-8 refused);
2. each tunnel's options are its own keys over ``vpn.tunnel_options``;
3. pydantic validates it against the schema generated from the model's
   declarations (driver/lab/schema.py: strict, unknown keys forbidden);
4. the cross-field rules run (driver/lab/semantics.py) on what is valid, so a
   wrong CIDR and a wrong key are reported together (netlab's rule: validate
   everything, stop at the phase boundary).
"""

from __future__ import annotations

import copy
import dataclasses
import typing
from pathlib import Path

from pydantic import BaseModel, ValidationError

from driver.core import input_files
from driver.core.errors import LabError, Problem
from driver.lab import transit_document, transit_rules, yaml_source
from driver.lab.model import Lab, Tunnel, TunnelOptions
from driver.lab.schema import declaration, model_of, problem_of
from driver.lab.semantics import check_semantics

TUNNEL_KEYS = ("inside_cidr", "preshared_key")  # a tunnel's own; the rest are options


def load_lab(path: str | Path) -> Lab:
    """Load and validate a lab file; raise LabError listing every problem."""
    path = Path(path)
    try:
        raw = input_files.read_bytes(path, yaml_source.MAX_BYTES, "lab file")
    except input_files.InputFileError as exc:
        if path.is_dir():
            message = "is a directory, not a lab file"
        elif not path.exists():
            message = "cannot read lab file: No such file or directory"
        else:
            message = str(exc).removeprefix(f"{path} ")
        raise _refused(path, message, "pass the path of a lab file, e.g. labs/seed.yml") from None
    try:
        text = yaml_source.decode(raw)
    except yaml_source.SourceError as exc:
        raise LabError([exc.problem], source=str(path)) from None
    return parse_lab(text, source=str(path))


def _refused(path: Path, message: str, hint: str) -> LabError:
    return LabError([Problem("", message, hint)], source=str(path))


def parse_lab(text: str, source: str = "<lab>") -> Lab:
    try:
        document = yaml_source.parse(text)
    except yaml_source.SourceError as exc:
        raise LabError([exc.problem], source=source) from None
    collector = _Problems(document.lines)
    data, filled, shape_problems = transit_document.shape(document.data)
    data, inherited = _with_tunnel_options(data)
    inherited |= filled
    for problem in shape_problems:
        collector.problem(*problem)
    try:
        lab = _build(Lab, model_of(Lab).model_validate(data))
    except ValidationError as exc:
        for error in exc.errors():
            if not _inherited(error["loc"], inherited):
                collector.problem(*problem_of(error))
        collector.refused = {p.path for p in collector.problems}
        lab = _salvage(data, exc.errors())
    if lab is not None:
        (transit_rules.check if lab.transit_gateway else check_semantics)(lab, collector)
    if collector.problems:
        raise LabError(collector.problems, source=source)
    return lab


class _Problems:
    """Problems with their lines: a key's own, else its closest written parent's."""

    def __init__(self, lines: dict[str, int]):
        self.lines = lines
        self.problems: list[Problem] = []
        self.refused: set[str] = set()  # keys whose value the schema refused

    def problem(self, path: str, message: str, hint: str) -> None:
        refused = any(path == r or path.startswith((f"{r}.", f"{r}[")) for r in self.refused)
        if refused or any(p.path == path and p.message == message for p in self.problems):
            return  # the cross-field rules saw a default in place of a refused value
        self.problems.append(Problem(path, message, hint, self._line(path)))

    def _line(self, path: str) -> int | None:
        while path not in self.lines and path:
            cut = max(path.rfind("."), path.rfind("["))
            path = path[:cut] if cut > 0 else ""
        return self.lines.get(path)


def _with_tunnel_options(data: dict) -> tuple[dict, set[tuple]]:
    """The lab with each tunnel's options nested under ``options``: the shared
    ``vpn.tunnel_options``, overridden by any option key the tunnel writes
    itself (in ``vpn`` and in each site's ``vpn``). Also returns the option keys
    each tunnel inherited (its problems are reported once, at ``tunnel_options``)."""
    if not isinstance(data, dict):
        return data, set()
    data = copy.deepcopy(data)
    inherited: set[tuple] = set()
    vpns = [(("vpn",), data.get("vpn"))]
    sites = data.get("sites") if isinstance(data.get("sites"), list) else []
    vpns += [
        (("sites", i, "vpn"), s.get("vpn")) for i, s in enumerate(sites) if isinstance(s, dict)
    ]
    for loc, vpn in vpns:
        if isinstance(vpn, dict) and isinstance(vpn.get("tunnels"), list):
            inherited |= _nest_options(vpn, loc)
    return data, inherited


def _nest_options(vpn: dict, loc: tuple) -> set[tuple]:
    shared = vpn.get("tunnel_options")
    shared = shared if isinstance(shared, dict) else {}
    inherited: set[tuple] = set()
    tunnels = []
    for i, entry in enumerate(vpn["tunnels"]):
        if not isinstance(entry, dict):
            tunnels.append(entry)
            continue
        own = {k: v for k, v in entry.items() if k in TUNNEL_KEYS}
        overrides = {k: v for k, v in entry.items() if k not in TUNNEL_KEYS}
        options = _merged(shared, overrides)
        inherited |= {(*loc, "tunnels", i, "options", *key) for key in _keys(shared, overrides)}
        tunnels.append({**own, "options": options})
    vpn["tunnels"] = tunnels
    return inherited


def _merged(base: dict, over: dict) -> dict:
    out = copy.deepcopy(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merged(out[key], value)
        else:
            out[key] = value
    return out


def _keys(shared: dict, overrides: dict, prefix: tuple = ()) -> set[tuple]:
    """Key paths that come from ``shared`` alone (the tunnel did not write them)."""
    out = set()
    for key, value in shared.items():
        if key not in overrides:
            out.add((*prefix, key))
        elif isinstance(value, dict) and isinstance(overrides[key], dict):
            out |= _keys(value, overrides[key], (*prefix, key))
    return out


def _inherited(loc: tuple, inherited: set[tuple]) -> bool:
    return any(loc[: len(key)] == key for key in inherited)


def _salvage(data: dict, errors: list[dict]) -> Lab | None:
    """The lab without the values that failed, for the cross-field rules: each
    failed key is dropped (its default stands in), nothing required is demanded."""
    salvaged = copy.deepcopy(data)
    for error in errors:
        _drop(salvaged, _field_loc(error["loc"]))
    try:
        return _build(Lab, model_of(Lab, lenient=True).model_validate(salvaged))
    except ValidationError:
        return None


def _field_loc(loc: tuple) -> tuple:
    """The loc of the key that holds an error: an item's problem drops its list,
    except in lists of sections (tunnels, sites, VPCs, route tables), where it
    drops that item's key."""
    for i, part in enumerate(loc):
        if isinstance(part, int) and not _sections(declaration(loc[:i])[3]):
            return loc[:i]
    return loc


def _sections(hint) -> bool:
    """Whether a declared type is a list of sections (dataclasses)."""
    return typing.get_origin(hint) is tuple and dataclasses.is_dataclass(typing.get_args(hint)[0])


def _drop(node, loc: tuple) -> None:
    for part in loc[:-1]:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return
    if isinstance(node, dict):
        node.pop(loc[-1], None)


def _build(cls, model: BaseModel, base=None):
    """The model's dataclass from a validated schema model: keys the file did not
    write keep ``base``'s values (the dataclass defaults, or the shared options)."""
    base = base if base is not None else cls()
    hints = typing.get_type_hints(cls)
    values = {}
    for name in model.model_fields_set:
        values[name] = _value(hints[name], getattr(model, name), getattr(base, name))
    return dataclasses.replace(base, **values)


def _value(hint, value, base):
    if isinstance(value, BaseModel):
        cls = next(
            a for a in (*typing.get_args(hint), hint) if dataclasses.is_dataclass(a)
        )  # "Firewall | None" or a section
        return _build(cls, value, base)
    if isinstance(value, list):
        item = typing.get_args(hint)[0]
        if item is Tunnel:
            return tuple(_build(Tunnel, v, Tunnel(options=TunnelOptions())) for v in value)
        if dataclasses.is_dataclass(item):
            return tuple(_build(item, v) for v in value)
        return tuple(value)
    return value
