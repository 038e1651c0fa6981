"""The lab file reference, generated from the model's declarations (driver/lab/model.py).

    python -m driver.lab.reference            # print it (Markdown)

docs/lab-file.md and docs/ja/lab-file.md carry it between ``<!-- lab-reference -->`` markers;
scripts/update-docs.py rewrites them and a test checks they are current.
"""

from __future__ import annotations

import dataclasses
import types
import typing

from driver.lab.model import Lab, Tunnel

START, END = "<!-- lab-reference:start -->", "<!-- lab-reference:end -->"


def _type(hint) -> str:
    origin = typing.get_origin(hint)
    if origin is tuple:
        return f"list of {_type(typing.get_args(hint)[0])}"
    if origin is dict:
        return "mapping of strings"
    if origin in (typing.Union, types.UnionType):
        return f"{_type(typing.get_args(hint)[0])} or absent"
    return {
        "IPv4Network": "IPv4 CIDR",
        "IPv4Address": "IPv4 address",
        "str": "string",
        "int": "integer",
    }.get(getattr(hint, "__name__", str(hint)), getattr(hint, "__name__", str(hint)))


def _default(f: dataclasses.Field) -> str:
    if f.metadata.get("required"):
        return "**required**"
    if f.default is not dataclasses.MISSING:
        value = f.default
    elif f.default_factory is not dataclasses.MISSING:
        value = f.default_factory()
        if dataclasses.is_dataclass(value):
            return "(section)"
    else:
        return ""
    if value is None:
        return "absent"
    if isinstance(value, tuple):
        return "[" + ", ".join(str(v) for v in value) + "]"
    return f"`{value}`" if value != {} else "{}"


def rows(cls=Lab, prefix: str = "", base=None, seen=None) -> list[tuple[str, str, str, str, str]]:
    """The reference's rows; a section whose keys are documented already (a site's
    ``onprem`` and ``vpn``) points there instead of repeating them."""
    seen = {} if seen is None else seen
    out = []
    hints = typing.get_type_hints(cls)
    for f in dataclasses.fields(cls):
        path = f"{prefix}{f.name}"
        hint = hints[f.name]
        meta = f.metadata
        allowed = ""
        if meta.get("choices"):
            allowed = ", ".join(str(c) for c in meta["choices"])
        elif meta.get("bounds"):
            low, high = meta["bounds"]
            allowed = f"{low} to {high}" if high is not None else f"at least {low}"
        elif meta.get("pattern"):
            allowed = meta["pattern"][1]
        section = _optional_section(hint)
        item = typing.get_args(hint)[0] if typing.get_origin(hint) is tuple else None
        if section is not None and section in seen:
            doc = f"{meta.get('doc', '')} The keys of `{seen[section]}`."
            out.append((path, "section", "", "", doc))
        elif section is not None:
            seen[section] = path
            kind = "section" if dataclasses.is_dataclass(hint) else "section or absent"
            out.append((path, kind, "", "", meta.get("doc", "")))
            nested = f.default_factory() if f.default_factory is not dataclasses.MISSING else None
            out += rows(section, f"{path}.", nested, seen)
        elif item is Tunnel:
            out.append((path, "list of 2 tunnels", _default(f), "", meta.get("doc", "")))
            out += rows(Tunnel, f"{path}[].")[:2]  # inside_cidr, preshared_key
            out.append(
                (
                    f"{path}[].<option>",
                    "any key of vpn.tunnel_options",
                    "inherited",
                    "",
                    "overrides the shared option for this tunnel",
                )
            )
        elif item is not None and dataclasses.is_dataclass(item):
            out.append((path, "list of entries", _default(f), "", meta.get("doc", "")))
            out += rows(item, f"{path}[].", None, seen)
        else:
            default = _default(f)
            if base is not None and not f.metadata.get("required"):
                value = getattr(base, f.name)
                default = (
                    "[" + ", ".join(map(str, value)) + "]"
                    if isinstance(value, tuple)
                    else f"`{value}`"
                )
            out.append((path, _type(hint), default, allowed, meta.get("doc", "")))
    return out


def _optional_section(hint):
    """The dataclass of a section key (``Firewall | None`` included), else None."""
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        hint = next(a for a in typing.get_args(hint) if a is not type(None))
    return hint if dataclasses.is_dataclass(hint) else None


def markdown() -> str:
    lines = ["| key | type | default | allowed | meaning |", "|---|---|---|---|---|"]
    for path, type_, default, allowed, doc in rows():
        if path.endswith(".options") and "tunnels[]" in path:
            continue
        cells = [f"`{path}`", type_, default, allowed.replace("|", "\\|"), doc]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def replace_in(text: str) -> str:
    """``text`` with the reference between the markers brought up to date."""
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{START}\n{markdown()}\n{END}{tail}"


if __name__ == "__main__":
    print(markdown())
