"""A Palo Alto firewall's configuration in any form PAN-OS prints it or people paste
it, read into one tree of the XML's shape (driver/cgw/tree.py), each node with its
file and line.

- **XML** (a saved ``running-config.xml``, Panorama's export, or ``show config
  running`` after ``set cli config-output-format xml``): xml_form.py.
- **braces** (``show config running`` in the CLI's default output format):
  driver/cgw/tree.py.
- **set commands** (``set cli config-output-format set``, then ``show``; or the
  lines people paste, configure mode's ``edit … / set … / top`` included):
  ``set <path words> <value>`` or ``… <key> [ v1 v2 ]``; a quoted word is one word;
  ``delete <path>`` removes it; ``edit <path>`` makes the commands after it relative
  to it until ``top`` (``up`` goes one level up). The path words are the XML's
  element and entry names, so every form makes the same tree: ``set network ike
  gateway GW protocol version ikev2`` is ``network/ike/gateway/entry[@name='GW']/
  protocol/version`` with the text ``ikev2``. One command may set several values,
  which PAN-OS's schema splits (grammar.py).

Only the ``network`` configuration is kept (IKE, tunnels, interfaces, virtual
routers), with the address objects it may name (``address NAME ip-netmask X``,
shared or a vsys's), wherever it sits: a firewall's ``config/devices/entry/network``,
a Panorama template's ``… config devices localhost.localdomain network …`` (a vsys's
``import network`` lists only name what it uses). A value set twice is the last
one; a list (``member``) set again grows, as PAN-OS's CLI grows it
(PaloAltoNetworks/pan-os-codegen: the XPaths of specs/network/ike-gateway,
tunnels/ipsec, interface/tunnel; PAN-OS CLI Quick Start, "Use the CLI": set, delete,
edit, up, top, and the set output format).
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field

from driver.cgw import schema
from driver.cgw.panos import grammar
from driver.cgw.panos.xml_form import parse_xml
from driver.cgw.tree import MAX_DEPTH, Node, merge, named, parse_braces

ANCHOR = "network"
SECTIONS = frozenset({"ike", "tunnel", "interface", "virtual-router", "logical-router"})
_SET = re.compile(r"^\s*(\S+@\S+[#>]\s*)?(set|edit|delete)\s", re.MULTILINE)
_XML = re.compile(r"^\s*<[?!A-Za-z]", re.MULTILINE)
_PROMPT = re.compile(r"^[\w.-]+@[\w.()-]+[#>]\s*")  # admin@PA-VM# (as copied from a session)


@dataclass
class PanConf:
    network: Node
    form: str  # "xml" | "braces" | "set"
    addresses: dict[str, Node] = field(default_factory=dict)  # object -> its ip-netmask
    problems: list[tuple[str, str]] = field(default_factory=list)  # (where, what)


def parse(text: str, source: str) -> PanConf:
    text = text.removeprefix("\ufeff")
    xml = _XML.search(text)
    if xml and not _SET.search(text[: xml.start()]):
        # what came before it (a prompt, a `show` command) keeps its lines, as blanks,
        # and so does its XML declaration (which is only allowed first)
        body = re.sub(r"^\s*<\?xml[^>]*\?>", "", text[xml.start() :])
        body = "\n" * text.count("\n", 0, len(text) - len(body)) + body
        return _networks_of(PanConf(Node(ANCHOR, 0, source), "xml"), *parse_xml(body, source))
    if _SET.search(text) or "{" not in text:
        return _parse_set(text, source)
    return _networks_of(PanConf(Node(ANCHOR, 0, source), "braces"), *parse_braces(text, source))


def _parse_set(text: str, source: str) -> PanConf:
    root = Node("", 0, source)
    conf = PanConf(root.add(ANCHOR, 0, source), "set")
    context: list[str] = []  # where ``edit`` went (configure mode)
    edited, lost = 0, False  # the line of the last edit; a command refused since
    templates: dict[tuple[str, ...], str] = {}  # the words before `network`: where first
    for number, raw in enumerate(text.splitlines(), start=1):
        line = _PROMPT.sub("", raw.strip(), count=1)
        plain = line.split()
        verb = plain[0] if plain else ""
        if verb in ("top", "exit", "quit"):
            context, lost = [], False
        elif verb == "up":
            context = _up(context)
        if verb not in ("set", "delete", "edit") or lost:
            continue  # show, commit, configure, remarks: nothing the configuration keeps
        if not context and ANCHOR not in plain and "address" not in plain:
            continue  # another part of the configuration (a banner may span lines)
        where = f"{source}:{number}"
        try:
            words = schema.words_of(shlex.split(line, posix=True)[1:])
        except ValueError:
            conf.problems.append((where, "a quote is never closed: PAN-OS refuses the command"))
            continue
        if not context and _address(conf, words, number, source):
            continue
        if context and words[:1] == [ANCHOR]:
            conf.problems.append((where, _lost(verb, words, context, edited)))
            lost = True  # PAN-OS refuses it, and the commands that lean on it
            continue
        found = (context, ()) if context else _network_path(words, bare=verb == "edit")
        if found is None:
            continue  # not the network configuration
        path = context + words if context else found[0]
        templates.setdefault(found[1], where)
        if not schema.balanced(words):
            conf.problems.append((where, "a '[' list is not closed with ']'"))
            continue
        if len(path) > MAX_DEPTH:
            conf.problems.append((where, f"nested deeper than {MAX_DEPTH}"))
            continue
        if verb == "edit":
            context, edited = path, number
        elif verb == "delete":
            parent = root.at(*path[:-1])
            if parent is not None:
                parent.children.pop(path[-1], None)
        else:
            for at, values, kind in schema.assignments(path, grammar.ROOT):
                schema.apply(root, at, values, kind, (number, source), grammar.CHOICES)
    if len(templates) > 1:
        conf.problems.append(_several(templates))
    return conf


def _up(context: list[str]) -> list[str]:
    """One level up: an entry's name goes with the word that lists it."""
    return context[:-2] if schema.ends_in_entry(context, grammar.ROOT) else context[:-1]


def _lost(verb: str, words: list[str], context: list[str], edited: int) -> str:
    return (
        f"'{verb} {' '.join(words[:3])} …' is read inside 'edit {' '.join(context)}' "
        f"(line {edited}): no 'top' came back from it, and PAN-OS's edit and set are "
        "relative to where the last edit went, so PAN-OS refuses this command and the "
        "ones after it until the next 'top' (as pasted, they configure nothing)"
    )


def _several(templates: dict[tuple[str, ...], str]) -> tuple[str, str]:
    named_ = "; ".join(f"'{' '.join(t) or '(the firewall)'}' at {w}" for t, w in templates.items())
    return (
        list(templates.values())[1],
        f"network configuration of {len(templates)} templates or devices ({named_}): "
        "vpnlab reads one firewall's; pass the one that faces AWS",
    )


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


def _network_path(words: list[str], bare: bool) -> tuple[list[str], tuple[str, ...]] | None:
    """The words from ``network`` on when they name a section vpnlab reads (``edit
    network`` alone too), and the words before it (a Panorama template's, a vsys's);
    a vsys's ``import network …`` only lists what it uses."""
    for i, word in enumerate(words):
        if word != ANCHOR or (i and words[i - 1] == "import"):
            continue
        if words[i + 1 : i + 2] and words[i + 1] in SECTIONS or (bare and i == len(words) - 1):
            return words[i:], tuple(words[:i])
    return None


def _networks_of(conf: PanConf, root: Node, problems: list[tuple[str, str]]) -> PanConf:
    """The network configuration and the address objects of a whole tree."""
    conf.problems += problems
    found = named(root, ANCHOR, skip=frozenset({"import"}))
    networks = [n for n in found if SECTIONS & set(n.children)]
    if not networks and SECTIONS & set(root.children):
        networks = [root]  # a fragment that starts inside it (``ike {``)
    if len(networks) > 1:
        conf.problems.append(
            (networks[1].where, f"network configuration of {len(networks)} templates or "
             "devices: vpnlab reads one firewall's; pass the one that faces AWS")
        )  # fmt: skip
    for network in networks:
        merge(conf.network, network)
    for objects in named(root, "address"):
        for entry in objects.children.values():
            if entry.value("ip-netmask"):
                conf.addresses[entry.name] = entry.at("ip-netmask")
    return conf
