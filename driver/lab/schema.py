"""The lab file's schema for pydantic, generated from the model's declarations.

driver/lab/model.py stays the one declaration of every key (type, default,
allowed values, bounds, pattern, doc). From it this module builds pydantic v2
models — strict (no "65000" for an integer), unknown keys forbidden — and
turns pydantic's errors back into the project's problems: the key path, what
is wrong in the lab's words, and how to fix it.

``lenient`` models are the same schema with no key required: the loader uses
them to salvage what is valid, so the cross-field rules still run and every
problem is reported at once.
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
import ipaddress
import types
import typing
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, create_model
from pydantic_core import PydanticCustomError

from driver.lab.model import Address, Lab, Net

# by key: a VGW lab's vpn.tunnels and a Transit Gateway site's sites[i].vpn.tunnels
MISSING_HINTS = {"tunnels": "add two entries, each with an inside_cidr"}


def _refuse(kind: str, message: str, **context) -> PydanticCustomError:
    """A custom error whose message is final (pydantic would format braces in it)."""
    return PydanticCustomError(kind, message.replace("{", "{{").replace("}", "}}"), context)


def _cidr(value):
    if isinstance(value, ipaddress.IPv4Network):
        return value
    if not isinstance(value, str):
        raise _refuse("cidr_type", f"must be an IPv4 CIDR string, not {value!r}")
    try:
        return ipaddress.IPv4Network(value)
    except ValueError as exc:
        try:
            fixed = ipaddress.IPv4Network(value, strict=False)
        except ValueError:
            raise _refuse("cidr_invalid", f"{value!r} is not an IPv4 CIDR ({exc})") from None
        raise _refuse("cidr_host_bits", f"{value} has host bits set", fixed=str(fixed)) from None


def _address(value):
    if isinstance(value, ipaddress.IPv4Address):
        return value
    try:
        return ipaddress.IPv4Address(value) if isinstance(value, str) else _not_an_address(value)
    except ValueError:
        return _not_an_address(value)


def _not_an_address(value):
    raise _refuse("address_invalid", f"{value!r} is not an IPv4 address")


def _listed(value):
    """A single value where a list is declared is a list of one (``encryption: AES256``)."""
    return value if isinstance(value, list) else [value]


CIDR = Annotated[ipaddress.IPv4Network, BeforeValidator(_cidr)]
ADDRESS = Annotated[ipaddress.IPv4Address, BeforeValidator(_address)]


def _declared(hint) -> tuple[Any, bool]:
    """(the type, optional?) of an annotation such as ``Firewall | None``."""
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        return next(a for a in typing.get_args(hint) if a is not type(None)), True
    return hint, False


def _annotation(hint, meta: dict, lenient: bool):
    hint, optional = _declared(hint)
    if dataclasses.is_dataclass(hint):
        annotation = model_of(hint, lenient)
    elif typing.get_origin(hint) is tuple:
        item = _annotation(typing.get_args(hint)[0], meta, lenient)
        exactly = meta.get("exactly")
        bounds = {"min_length": exactly or 1, **({"max_length": exactly} if exactly else {})}
        annotation = Annotated[list[item], Field(**bounds), BeforeValidator(_listed)]
    elif typing.get_origin(hint) is dict:
        annotation = dict[str, str]
    elif hint is Net:
        annotation = CIDR
    elif hint is Address:
        annotation = ADDRESS
    elif meta["choices"]:
        annotation = Literal[tuple(meta["choices"])]
    elif hint is int and meta["bounds"]:
        low, high = meta["bounds"]
        annotation = Annotated[int, Field(ge=low, **({"le": high} if high is not None else {}))]
    elif hint is str and meta["pattern"]:
        annotation = Annotated[str, Field(pattern=f"^(?:{meta['pattern'][0]})$")]
    else:
        annotation = hint
    return annotation | None if optional else annotation


@functools.cache
def model_of(cls, lenient: bool = False) -> type[BaseModel]:
    """The pydantic model of one of the model's dataclasses."""
    hints = typing.get_type_hints(cls)
    fields = {}
    for f in dataclasses.fields(cls):
        required = f.metadata.get("required") and not lenient
        fields[f.name] = (
            _annotation(hints[f.name], f.metadata, lenient),
            Field(... if required else None, description=f.metadata.get("doc")),
        )
    config = ConfigDict(extra="forbid", strict=True, frozen=True)
    return create_model(f"{cls.__name__}Schema", __config__=config, **fields)


# --- errors in the lab's words ------------------------------------------------------


def declaration(loc: tuple) -> tuple[str, dataclasses.Field | None, list[str], Any]:
    """(key path, the field declared there, the keys allowed beside it, its type)."""
    cls, decl, path, hint = Lab, None, "", None
    allowed = [f.name for f in dataclasses.fields(Lab)]
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
            continue
        if part == "options" and cls is not None and cls.__name__ == "Tunnel":
            # A tunnel's options are written inline in its entry (the loader nests them).
            own = [f.name for f in dataclasses.fields(cls) if f.name != "options"]
            cls = _declared(typing.get_type_hints(cls)["options"])[0]
            allowed = own + [f.name for f in dataclasses.fields(cls)]
            continue
        if cls is None:  # a key inside a leaf mapping (tags.CostCenter): the leaf's
            break
        path = f"{path}.{part}" if path else str(part)
        decl = {f.name: f for f in dataclasses.fields(cls)}.get(part)
        if decl is None:
            break
        hint = nested = _declared(typing.get_type_hints(cls)[part])[0]
        if typing.get_origin(nested) is tuple:
            nested = typing.get_args(nested)[0]
        cls = nested if dataclasses.is_dataclass(nested) else None
        allowed = [f.name for f in dataclasses.fields(cls)] if cls is not None else []
    return path, decl, allowed, hint


def problem_of(error: dict) -> tuple[str, str, str]:
    """(path, message, hint) for one of pydantic's errors."""
    kind, loc, value = error["type"], error["loc"], error.get("input")
    if kind == "extra_forbidden":
        path, _, allowed, _ = declaration(loc[:-1])
        key = str(loc[-1])
        path = f"{path}.{key}" if path else key
        close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
        hint = f"did you mean '{close[0]}'?" if close else "allowed here: " + ", ".join(allowed)
        return path, f"unknown key '{key}'", hint
    path, decl, _, hint = declaration(loc)
    meta = decl.metadata if decl is not None else {}
    doc, exactly, ctx = meta.get("doc", ""), meta.get("exactly"), error.get("ctx") or {}
    if typing.get_origin(hint) is dict:
        # a problem inside tags (tags.CostCenter) is the mapping's
        return (
            path,
            "must be a mapping of strings to strings",
            "quote values such as numbers: {CostCenter: '1234'}",
        )
    if kind == "missing":
        if exactly:
            what = f"missing: {doc[0].lower()}{doc[1:].rstrip('.')}"
            return path, what, MISSING_HINTS.get(path.rpartition(".")[2], doc)
        return path, "missing", f"add it: {doc}"
    if kind in ("too_short", "too_long", "list_type") and exactly:
        return path, f"must be a list of exactly {_words(exactly)} tunnels", doc
    if kind == "too_short":
        return path, "must not be empty", f"give at least one: {doc}"
    if kind == "model_type":
        return path, f"must be a mapping, not {type(value).__name__}", "indent the keys below it"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return path, f"must be an integer, not {value!r}", doc
    if kind == "bool_type":
        return path, f"must be true or false, not {value!r}", doc
    if kind == "string_type":
        return path, f"must be a string, not {value!r}", "quote it in the YAML file"
    if kind == "literal_error":
        offered = "is not offered by AWS" if meta.get("aws_offers") else "is not allowed"
        choices = ", ".join(str(c) for c in meta.get("choices", ()))
        return path, f"{value!r} {offered}", f"choose one of: {choices}"
    if kind in ("greater_than_equal", "less_than_equal"):
        low, high = meta["bounds"]
        rng = f"use {low} to {high}" if high is not None else f"use at least {low}"
        return path, f"{value} is out of range", rng
    if kind == "string_pattern_mismatch":
        return path, f"{value!r} is not well formed", meta["pattern"][1]
    if kind == "cidr_host_bits":
        return path, error["msg"], f"the network is {ctx['fixed']}; write that"
    if kind in ("cidr_invalid", "cidr_type"):
        return path, error["msg"], "write it like 10.0.0.0/16"
    return path, error["msg"], doc or "see the lab file reference, docs/lab-file.md"


def _words(n: int) -> str:
    return {2: "two"}.get(n, str(n))
