"""A Palo Alto firewall's configuration in either form PAN-OS prints it, read into
one tree of the XML's shape, each node with its file and line.

- **XML** (``show config running``, a saved ``running-config.xml``, Panorama's
  export): every element is a node named by its tag, an ``<entry name="X">`` by X,
  a ``<member>`` and an element's text by the text (a leaf). A document type or
  an entity declaration is refused: PAN-OS writes none, and they are how an XML
  file makes its reader expand or fetch what is not in it.
- **braces** (``show config running`` in the CLI's default format): ``name {``
  opens a node, ``}`` closes it, ``key value;`` and ``key [ v1 v2 ];`` set values.
- **set commands** (``set cli config-output-format set``, then ``show``; or the
  lines people paste): ``set <path words> <value>`` or ``… <key> [ v1 v2 ]``; a
  quoted word is one word; ``delete <path>`` removes it. The path words are the
  XML's element and entry names, so both forms make the same tree: ``set network
  ike gateway GW protocol version ikev2`` is ``network/ike/gateway/entry
  [@name='GW']/protocol/version`` with the text ``ikev2``.

Only the ``network`` configuration is kept (IKE, tunnels, interfaces, virtual
routers), with the address objects it may name (``address NAME ip-netmask X``,
shared or a vsys's), wherever it sits: a firewall's ``config/devices/entry/network``, a
Panorama template's ``… config devices localhost.localdomain network …``. A value
set twice is the last one; a list (``member``) set again grows, as PAN-OS's CLI
grows it (PaloAltoNetworks/pan-os-codegen: the XPaths of specs/network/ike-gateway,
tunnel/ipsec, interface/tunnel; PAN-OS CLI Quick Start, "Use the CLI": set,
delete, and the set output format).
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field
from xml.parsers import expat

from driver.cgw.panos import grammar
from driver.cgw.tree import Node, merge, named

ANCHOR = "network"
SECTIONS = frozenset({"ike", "tunnel", "interface", "virtual-router", "logical-router"})
MAX_DEPTH = 64  # PAN-OS's network configuration nests ~12 deep
_SET = re.compile(r"^\s*(\S+@\S+[#>]\s*)?(set|edit|delete)\s", re.MULTILINE)
_TOKEN = re.compile(r'"[^"]*"|[{};\[\]]|[^\s{};\[\]"]+')
_PROMPT = re.compile(r"^[\w.-]+@[\w.()-]+[#>]\s*")  # admin@PA-VM# (as copied from a session)


@dataclass
class PanConf:
    network: Node
    form: str  # "xml" | "set"
    addresses: dict[str, Node] = field(default_factory=dict)  # object -> its ip-netmask
    problems: list[tuple[str, str]] = field(default_factory=list)  # (where, what)


def parse(text: str, source: str) -> PanConf:
    if text.lstrip().startswith("<"):
        return _parse_xml(text, source)
    if _SET.search(text) or "{" not in text:
        return _parse_set(text, source)
    return _parse_braces(text, source)


def _parse_set(text: str, source: str) -> PanConf:
    root = Node("", 0, source)
    conf = PanConf(root.add(ANCHOR, 0, source), "set")
    context: list[str] = []  # where ``edit`` went (configure mode)
    edited, lost = 0, False  # the line of the last edit; a command refused since
    for number, raw in enumerate(text.splitlines(), start=1):
        line = _PROMPT.sub("", raw.strip(), count=1)
        verb = line.split()[0] if line.split() else ""
        if verb in ("top", "exit", "quit"):
            context, lost = [], False
        elif verb == "up":
            context = context[:-1]
        if verb not in ("set", "delete", "edit") or lost:
            continue  # show, commit, configure, remarks: nothing the configuration keeps
        where = f"{source}:{number}"
        try:
            words = shlex.split(line, posix=True)[1:]
        except ValueError:
            conf.problems.append((where, "a quote is never closed: PAN-OS refuses the command"))
            continue
        if not context and _address(conf, words, number, source):
            continue
        if context and words[:1] == [ANCHOR]:
            conf.problems.append((where, _lost(verb, words, context, edited)))
            lost = True  # PAN-OS refuses it, and the commands that lean on it
            continue
        path = context + words if context else _network_path(words)
        if path is None or not path[1:]:
            continue  # not the network configuration
        if words.count("[") != words.count("]"):
            conf.problems.append((where, "a '[' list is not closed with ']'"))
            continue
        if verb == "edit":
            context, edited = path, number
        elif verb == "delete":
            parent = root.at(*path[:-1])
            if parent is not None:
                parent.children.pop(path[-1], None)
        else:
            for at, values, kind in _assignments(path):
                _apply(root, at, values, kind, number, source)
    return conf


def _lost(verb: str, words: list[str], context: list[str], edited: int) -> str:
    return (
        f"'{verb} {' '.join(words[:3])} …' is read inside 'edit {' '.join(context)}' "
        f"(line {edited}): no 'top' came back from it, and PAN-OS's edit and set are "
        "relative to where the last edit went, so PAN-OS refuses this command and the "
        "ones after it until the next 'top' (as pasted, they configure nothing)"
    )


def _assignments(words: list[str]) -> list[tuple[list[str], list[str], str | None]]:
    """A set command's words (from the root: ``network …``) as the values it sets,
    each (its path, its values, LEAF | LIST | None for a node alone), by the schema."""
    out: list[tuple[list[str], list[str], str | None]] = []
    path: list[str] = []
    schema: object = {ANCHOR: grammar.NETWORK}
    i = 0
    while i < len(words):
        word = words[i]
        if isinstance(schema, grammar.Entries):
            path, schema, i = path + [word], schema.schema, i + 1
            continue
        kind = schema.get(word) if isinstance(schema, dict) else None
        if kind in (grammar.LEAF, grammar.LIST):
            values, i = _values(words, i + 1)
            out.append((path + [word], values, kind))
            continue
        if kind is None or kind is grammar.GENERIC:  # not modelled: a path, then its value
            rest = words[i:]
            if "[" in rest:
                out.append((path + rest[: rest.index("[")], rest[rest.index("[") + 1 : -1],
                            grammar.LIST))  # fmt: skip
            elif len(rest) > 1:
                out.append((path + rest[:-1], rest[-1:], grammar.LEAF))
            else:
                out.append((path + rest, [], None))
            return out
        path, schema, i = path + [word], kind, i + 1
    return out or [(path, [], None)]


def _values(words: list[str], i: int) -> tuple[list[str], int]:
    if i < len(words) and words[i] == "[":
        end = words.index("]", i)
        return words[i + 1 : end], end + 1
    return words[i : i + 1], i + 1


def _apply(root: Node, path: list[str], values: list[str], kind, number: int, source: str):
    node = root
    for word in path:
        node = node.add(word, number, source)
    if kind == grammar.LEAF:  # one value: the one set last
        for name in [n for n, child in node.children.items() if not child.children]:
            del node.children[name]
    for value in values:
        node.add(value, number, source)


def _address(conf: PanConf, words: list[str], number: int, source: str) -> bool:
    """``set [shared|vsys V] address NAME ip-netmask X``: an object a gateway or a
    route may name instead of the address itself."""
    for i in range(len(words) - 3):
        if words[i] == "address" and words[i + 2] == "ip-netmask":
            node = Node(words[i + 1], number, source)
            node.add(words[i + 3], number, source)
            conf.addresses[words[i + 1]] = node
            return True
    return False


def resolve(conf: PanConf, value: str | None) -> str | None:
    """An address, or the address object of that name's ip-netmask."""
    found = conf.addresses.get(value or "")
    return found.value() if found is not None else value


def _network_path(words: list[str]) -> list[str] | None:
    """The words from ``network`` on, when they name a section vpnlab reads (after a
    Panorama template's or a vsys's words)."""
    for i, word in enumerate(words[:-1]):
        if word == ANCHOR and words[i + 1] in SECTIONS:
            return words[i:]
    return None


def _parse_braces(text: str, source: str) -> PanConf:
    conf = PanConf(Node(ANCHOR, 0, source), "braces")
    root = Node("", 0, source)
    stack, words, listed = [root], [], None
    for number, line in enumerate(text.splitlines(), start=1):
        if line.lstrip().startswith("#"):
            continue
        for token in _TOKEN.findall(line):
            if token == "{" and words:
                node = stack[-1]
                for word in words:
                    node = node.add(word, number, source)
                stack.append(node)
                words = []
            elif token == "}" and len(stack) > 1:
                stack.pop()
            elif token == "[":
                listed = []
            elif token == "]" and listed is not None:
                words, listed = words + ["["] + listed, None
            elif token == ";":
                _statement(stack[-1], words, number, source)
                words = []
            elif listed is not None:
                listed.append(token.strip('"'))
            elif token not in "{}":
                words.append(token.strip('"'))
            if len(stack) > MAX_DEPTH:
                conf.problems.append((f"{source}:{number}", f"nested deeper than {MAX_DEPTH}"))
                return conf
    if len(stack) > 1:
        conf.problems.append(
            (f"{source}:{stack[-1].line}", f"'{stack[-1].name} {{' is never closed with '}}'")
        )
    return _networks_of(conf, root)


def _statement(node: Node, words: list[str], number: int, source: str) -> None:
    """``key value;``, ``key [ a b ];`` or ``name;`` under ``node``."""
    if "[" in words:
        path, values = words[: words.index("[")], words[words.index("[") + 1 :]
    else:
        path, values = words[:-1], words[-1:]
    for word in path:
        node = node.add(word, number, source)
    for value in values:
        node.add(value, number, source)


def _parse_xml(text: str, source: str) -> PanConf:
    conf = PanConf(Node(ANCHOR, 0, source), "xml")
    root = Node("", 0, source)
    stack: list[tuple[Node, str, list[str], bool]] = [(root, "", [], False)]
    parser = expat.ParserCreate()

    def refuse(*_args) -> None:
        raise ValueError("a document type or entity declaration (PAN-OS writes none)")

    def start(tag: str, attrs: dict[str, str]) -> None:
        if len(stack) > MAX_DEPTH:
            raise ValueError(f"elements nested deeper than {MAX_DEPTH}")
        parent = stack[-1][0]
        stack[-1] = stack[-1][:3] + (True,)  # the parent has elements: its text is layout
        line = parser.CurrentLineNumber
        if tag == "member":
            stack.append((parent, tag, [], False))  # named by its text, at its end
            return
        name = attrs.get("name", tag) if tag == "entry" else tag
        stack.append((parent.add(name, line, source), tag, [], False))

    def characters(data: str) -> None:
        stack[-1][2].append(data)

    def end(_tag: str) -> None:
        node, tag, chunks, has_elements = stack.pop()
        value = "".join(chunks).strip()
        if value and not has_elements:
            node.add(value, parser.CurrentLineNumber, source)

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = characters
    try:
        parser.Parse(text, True)
    except (expat.ExpatError, ValueError) as exc:
        line = getattr(exc, "lineno", parser.CurrentLineNumber)
        conf.problems.append((f"{source}:{line}", f"not XML PAN-OS would load: {exc}"))
        return conf
    return _networks_of(conf, root)


def _networks_of(conf: PanConf, root: Node) -> PanConf:
    """The network configuration and the address objects of a whole tree."""
    for network in _networks(root):
        merge(conf.network, network)
    for objects in named(root, "address"):
        for entry in objects.children.values():
            if entry.value("ip-netmask"):
                conf.addresses[entry.name] = entry.at("ip-netmask")
    return conf


def _networks(root: Node) -> list[Node]:
    """Every ``network`` element holding a section vpnlab reads (a firewall has one;
    a Panorama export one per template); a fragment that starts inside it (``ike {``)
    is its own."""
    found = [n for n in named(root, ANCHOR) if SECTIONS & set(n.children)]
    return found or ([root] if SECTIONS & set(root.children) else [])
