"""Loading a lab file: YAML to the model's dataclasses, every problem at once.

Loading collects *every* problem before failing (netlab's rule: validate
everything, stop at the phase boundary); each problem names its key path and
line, what is wrong and how to fix it.
"""

from __future__ import annotations

import dataclasses
import ipaddress
import re
import types
import typing
from pathlib import Path

import yaml

from driver.errors import LabError, Problem
from driver.lab.model import Lab, Net, Tunnel, TunnelOptions
from driver.lab.semantics import check_semantics

# --- loading -----------------------------------------------------------------


def load_lab(path: str | Path) -> Lab:
    """Load and validate a lab file; raise LabError listing every problem."""
    path = Path(path)
    try:
        text = path.read_text()
    except OSError as exc:
        raise LabError(
            [
                Problem(
                    "",
                    f"cannot read lab file: {exc.strerror}",
                    "pass the path of a lab file, e.g. labs/seed.yml",
                )
            ],
            source=str(path),
        ) from None
    return parse_lab(text, source=str(path))


def parse_lab(text: str, source: str = "<lab>") -> Lab:
    try:
        raw = yaml.safe_load(text)
        lines = _line_numbers(yaml.compose(text))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise LabError(
            [
                Problem(
                    "",
                    f"not valid YAML: {getattr(exc, 'problem', exc)}",
                    "fix the YAML syntax",
                    mark.line + 1 if mark else None,
                )
            ],
            source=source,
        ) from None
    builder = _Builder(lines)
    if not isinstance(raw, dict):
        builder.problem("", "the lab file must be a mapping of keys", "see labs/seed.yml")
        raise LabError(builder.problems, source=source)
    lab = builder.build_lab(raw)
    check_semantics(lab, builder)
    if builder.problems:
        raise LabError(builder.problems, source=source)
    return lab


def _line_numbers(node, path: str = "", out: dict | None = None) -> dict[str, int]:
    """Map each key path ('vpn.tunnels[0].inside_cidr') to its 1-based line."""
    out = {} if out is None else out
    if node is None:
        return out
    out.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            child = f"{path}.{key.value}" if path else str(key.value)
            out[child] = key.start_mark.line + 1
            _line_numbers(value, child, out)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _line_numbers(item, f"{path}[{i}]", out)
    return out


class _Builder:
    """Turns raw YAML into the dataclasses, recording problems instead of raising."""

    def __init__(self, lines: dict[str, int]):
        self.lines = lines
        self.problems: list[Problem] = []

    def problem(self, path: str, message: str, hint: str) -> None:
        line = self.lines.get(path)
        if line is None:  # point at the closest enclosing key that exists
            parent = path
            while parent and line is None:
                # "a.b[0]" -> "a.b" -> "a" -> "": a top-level key's parent is the file
                parent = (
                    re.sub(r"(\.[^.\[]+|\[\d+\])$", "", parent)
                    if "." in parent or "[" in parent
                    else ""
                )
                line = self.lines.get(parent)
        self.problems.append(Problem(path, message, hint, line))

    def build_lab(self, raw: dict) -> Lab:
        vpn_raw = raw.get("vpn") if isinstance(raw.get("vpn"), dict) else {}
        tunnels_raw = vpn_raw.get("tunnels")
        # Tunnels inherit vpn.tunnel_options, so they are built after it.
        lab = self.build(Lab, raw, "", Lab())
        tunnels = self.build_tunnels(
            tunnels_raw, lab.vpn.tunnel_options or TunnelOptions(), "vpn.tunnels"
        )
        return dataclasses.replace(lab, vpn=dataclasses.replace(lab.vpn, tunnels=tunnels))

    def build_tunnels(self, raw, shared: TunnelOptions, path: str) -> tuple[Tunnel, ...]:
        if raw is None:
            self.problem(
                path,
                "missing: a VPN connection has exactly two tunnels",
                "add two entries, each with an inside_cidr",
            )
            return ()
        if not isinstance(raw, list) or len(raw) != 2:
            self.problem(
                path,
                "must be a list of exactly two tunnels",
                "AWS creates two tunnels per VPN connection; describe both",
            )
            return ()
        tunnels = []
        for i, item in enumerate(raw):
            where = f"{path}[{i}]"
            if not isinstance(item, dict):
                self.problem(where, "must be a mapping", "e.g. {inside_cidr: 169.254.10.0/30}")
                continue
            own = {k: v for k, v in item.items() if k in ("inside_cidr", "preshared_key")}
            overrides = {k: v for k, v in item.items() if k not in own}
            tunnel = self.build(Tunnel, own, where, Tunnel(), skip=("options",))
            options = self.build(TunnelOptions, overrides, where, shared)
            tunnels.append(dataclasses.replace(tunnel, options=options))
        return tuple(tunnels)

    def build(self, cls, raw, path: str, base, skip: tuple = ()):
        """An instance of ``cls`` from ``raw``; keys absent from raw come from base."""
        if not isinstance(raw, dict):
            self.problem(
                path, f"must be a mapping, not {type(raw).__name__}", "indent the keys below it"
            )
            return base
        fields = {f.name: f for f in dataclasses.fields(cls) if f.name not in skip}
        for key in raw:
            if key in fields and fields[key].metadata.get("separate"):
                continue
            if key not in fields:
                close = [k for k in fields if _similar(str(key), k)]
                self.problem(
                    _join(path, key),
                    f"unknown key '{key}'",
                    f"did you mean '{close[0]}'?"
                    if close
                    else "allowed here: " + ", ".join(fields),
                )
        hints = typing.get_type_hints(cls)
        values = {}
        for name, f in fields.items():
            where = _join(path, name)
            if f.metadata.get("separate"):
                continue
            if name not in raw:
                if f.metadata.get("required") and getattr(base, name) in (None, ()):
                    self.problem(where, "missing", f"add it: {f.metadata['doc']}")
                continue
            values[name] = self.convert(
                hints[name], raw[name], where, f.metadata, getattr(base, name)
            )
        return dataclasses.replace(base, **values)

    def convert(self, hint, value, path: str, meta, base):
        origin = typing.get_origin(hint)
        if origin in (typing.Union, types.UnionType):  # "X | None": an optional X
            hint = next(a for a in typing.get_args(hint) if a is not type(None))
            origin = typing.get_origin(hint)
            if dataclasses.is_dataclass(hint) and base is None:
                base = hint()  # an optional section, written: start from its defaults
        if dataclasses.is_dataclass(hint):
            return self.build(hint, value, path, base)
        if origin is tuple:
            item_type = typing.get_args(hint)[0]
            items = value if isinstance(value, list) else [value]
            if not items:
                self.problem(path, "must not be empty", f"give at least one: {meta['doc']}")
                return None
            converted = tuple(
                self.convert(item_type, v, f"{path}[{i}]", meta, None) for i, v in enumerate(items)
            )
            return None if None in converted else converted
        if origin is dict:
            if not isinstance(value, dict) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in value.items()
            ):
                self.problem(
                    path,
                    "must be a mapping of strings to strings",
                    "quote values such as numbers: {CostCenter: '1234'}",
                )
                return None
            return dict(value)
        if hint is Net:
            return self.cidr(value, path)
        if hint is bool:
            if not isinstance(value, bool):
                self.problem(path, f"must be true or false, not {value!r}", meta["doc"])
                return None
            return value
        if hint is int and (isinstance(value, bool) or not isinstance(value, int)):
            self.problem(path, f"must be an integer, not {value!r}", meta["doc"])
            return None
        if hint is str and not isinstance(value, str):
            self.problem(path, f"must be a string, not {value!r}", "quote it in the YAML file")
            return None
        return self.check_value(value, path, meta)

    def check_value(self, value, path: str, meta):
        choices, bounds, pattern = meta["choices"], meta["bounds"], meta["pattern"]
        if choices and value not in choices:
            what = "is not offered by AWS" if meta["aws_offers"] else "is not allowed"
            self.problem(
                path, f"{value!r} {what}", "choose one of: " + ", ".join(str(c) for c in choices)
            )
            return None
        if bounds:
            low, high = bounds
            if (low is not None and value < low) or (high is not None and value > high):
                rng = f"{low} to {high}" if high is not None else f"at least {low}"
                self.problem(path, f"{value} is out of range", f"use {rng}")
                return None
        if pattern and not re.fullmatch(pattern[0], value):
            self.problem(path, f"{value!r} is not well formed", pattern[1])
            return None
        return value

    def cidr(self, value, path: str) -> Net | None:
        if not isinstance(value, str):
            self.problem(
                path, f"must be an IPv4 CIDR string, not {value!r}", "write it like 10.0.0.0/16"
            )
            return None
        try:
            return ipaddress.IPv4Network(value)
        except ValueError as exc:
            try:
                fixed = ipaddress.IPv4Network(value, strict=False)
            except ValueError:
                self.problem(
                    path, f"{value!r} is not an IPv4 CIDR ({exc})", "write it like 10.0.0.0/16"
                )
                return None
            self.problem(path, f"{value} has host bits set", f"the network is {fixed}; write that")
            return None


def _join(path: str, key) -> str:
    return f"{path}.{key}" if path else str(key)


def _similar(a: str, b: str) -> bool:
    a, b = a.lower().replace("-", "_"), b.lower()
    return a in b or b in a or (len(a) > 3 and a[:4] == b[:4])
