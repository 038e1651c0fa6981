"""A VyOS (or EdgeOS, Vyatta) configuration in any form it is handed over, read into
one tree (driver/cgw/tree.py), each node with its file and line.

- **set commands** (``show configuration commands``, or the lines people paste):
  ``set <path> <value>``, a value quoted as the CLI prints it (``'3600'``); ``delete
  <path>`` removes what it names; a prompt (``vyos@vyos# ``) is left out; ``edit``,
  ``top``, ``commit``, ``save`` change nothing saved.
- **config.boot** (``show configuration``, ``/config/config.boot``): ``name {``
  opens a node (a tag node: ``peer 192.0.2.1 {``), ``}`` closes it, ``key value`` one
  statement per line with no ``;``, a multi-value leaf written once per value, a
  valueless one (``disable``) alone; ``/* … */`` comments and the ``// vyos-config-
  version`` footer.
- **config.gateway.json** (a UniFi Security Gateway's EdgeOS): the same tree as JSON
  objects, a multi-value leaf a list, a valueless one ``"''"``.

All three make the same tree: ``set vpn ipsec ike-group AWS lifetime 28800`` is
``vpn { ipsec { ike-group AWS { lifetime 28800 } } }`` and ``{"vpn": {"ipsec":
{"ike-group": {"AWS": {"lifetime": "28800"}}}}}``. Only the sections vpnlab reads
are kept (``vpn``, ``interfaces``, ``protocols``, ``policy``): a key elsewhere
(``system login``) never enters. (VyOS documentation, "Command Line Interface" and
"Configuration Overview"; Ubiquiti, "UniFi - USG Advanced Configuration Using
config.gateway.json".)
"""

from __future__ import annotations

import json
import re
import shlex
from dataclasses import dataclass, field

from driver.cgw.tree import MAX_DEPTH, Node, without_comments
from driver.cgw.vyos.defaults import EDGEOS, VYOS_13, VYOS_14

SECTIONS = ("vpn", "interfaces", "protocols", "policy")
_PROMPT = re.compile(r"^[\w.-]+@[\w.()-]+[#$:]\s*(~?\s*[#$]\s*)?")  # vyos@vyos# , ubnt@usg:~$
_COMMAND = re.compile(r"^(set|delete|edit|top|commit|save|exit|configure)\b")
_BRACE_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"?|[^\s"]+')
_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\]:,]|[^\s{}\[\]:,"]+')
VALUELESS = "''"  # config.gateway.json's value of a leaf that takes none
# What only EdgeOS has (VyOS has none of them): Ubiquiti's discovery and UNMS services,
# its web UI (`service gui`; VyOS's is `service https`), its analytics and crash
# reporters, its hardware offload — in set commands or as config.boot's nodes
_EDGEOS = re.compile(
    r"^\s*(\S+@\S+[#$]\s*)?(set\s+)?(service\s+)?(ubnt-discover|ubnt-discover-server|unms)\b"
    r"|^\s*(\S+@\S+[#$]\s*)?set\s+(service\s+gui|system\s+(analytics-handler|crash-handler|"
    r"offload))\b"
    r"|^\s*(analytics-handler|crash-handler)\s*\{",
    re.MULTILINE,
)
# The leaves vpnlab reads that take one value (VyOS's interface definitions: no
# <multi/>): a `set` writing one again replaces it.
SINGLE_VALUED = frozenset(
    (
        "lifetime", "encryption", "hash", "dh-group", "prf", "key-exchange", "mode", "pfs",
        "bind", "esp-group", "ike-group", "default-esp-group", "local-address",
        "pre-shared-secret", "secret", "secret-type", "connection-type", "local-id",
        "remote-id", "action", "interval", "timeout", "remote-as", "holdtime", "keepalive",
        "system-as", "description", "mtu", "distance", "close-action", "ikev2-reauth",
        "compression", "protocol", "port",
    )
)  # fmt: skip


@dataclass
class VyosConf:
    root: Node
    form: str  # "set" | "config.boot" | "json"
    problems: list[tuple[str, str]] = field(default_factory=list)  # (where, what)
    # a `vyatta-config-version` footer, or a service only EdgeOS has: EdgeOS (or VyOS <= 1.1)
    vyatta: bool = False

    platform: str = VYOS_13  # whose defaults judge it: set once read (platform_of)


def platform_of(conf: VyosConf) -> str:
    """Whose defaults judge it (defaults.py): 1.4's syntax is 1.4's; a
    config.gateway.json, a Vyatta footer or an EdgeOS-only service is EdgeOS's; else
    1.3's."""
    site = conf.root.entries("vpn", "ipsec", "site-to-site", "peer")
    if (
        any(peer.at("remote-address") for peer in site)
        or conf.root.at("vpn", "ipsec", "authentication", "psk")
        or conf.root.at("protocols", "bgp", "system-as")
    ):
        return VYOS_14
    return EDGEOS if conf.form == "json" or conf.vyatta else VYOS_13


def parse(text: str, source: str) -> VyosConf:
    text = text.removeprefix("\ufeff")
    if _first_line(text).startswith("{"):
        conf = _parse_json(text, source)
    elif _commands(text):
        conf = _parse_set(text, source)
    else:
        conf = _parse_braces(text, source)
    conf.vyatta = "vyatta-config-version" in text or bool(_EDGEOS.search(text))
    conf.platform = platform_of(conf)
    return conf


def _commands(text: str) -> bool:
    """Set commands (a script's ``configure`` and ``source`` lines among them),
    rather than config.boot: more commands than lines opening a node."""
    lines = [_PROMPT.sub("", line.strip(), count=1) for line in text.splitlines()]
    commands = sum(1 for line in lines if _COMMAND.match(line))
    return commands > sum(1 for line in lines if line.endswith("{"))


def _first_line(text: str) -> str:
    """The first line that is neither blank nor a comment."""
    for line in text.splitlines():
        stripped = line.strip()
        if stripped and not stripped.startswith(("#", "!", "/*", "//", "*")):
            return stripped
    return ""


def _parse_set(text: str, source: str) -> VyosConf:
    conf = VyosConf(Node("", 0, source), "set")
    for number, raw in enumerate(text.splitlines(), start=1):
        line = _PROMPT.sub("", raw.strip(), count=1)
        verb = line.split(maxsplit=1)[0] if line else ""
        if verb not in ("set", "delete"):
            continue  # show, commit, edit, comments: nothing saved
        where = f"{source}:{number}"
        try:
            words = shlex.split(line, comments=True, posix=True)[1:]
        except ValueError:
            conf.problems.append((where, "a quote is never closed: VyOS refuses the command"))
            continue
        if not words or words[0] not in SECTIONS:
            continue
        if len(words) > MAX_DEPTH:
            conf.problems.append((where, f"nested deeper than {MAX_DEPTH}"))
            continue
        if verb == "delete":
            parent = conf.root.at(*words[:-1])
            if parent is not None:
                parent.children.pop(words[-1], None)
            continue
        node = conf.root
        for word in words[:-1]:
            node = node.add(word, number, source)
        if _single_valued(words) and all(not c.children for c in node.children.values()):
            node.children.clear()  # a value set again replaces the one before, as on VyOS
        node.add(words[-1], number, source)
    return conf


def _single_valued(words: list[str]) -> bool:
    """A leaf that takes one value (the rest, such as an address, a psk's id, 1.4's
    prefix, take several; so does every tag node): set again, it is replaced."""
    if len(words) < 2:
        return False
    key = words[-2]
    if key == "id":
        return len(words) > 2 and words[-3] == "authentication"  # a psk's ids are several
    return key in SINGLE_VALUED


def _parse_braces(text: str, source: str) -> VyosConf:
    root = Node("", 0, source)
    conf, stack = VyosConf(root, "config.boot"), [root]
    commented = False
    for number, raw in enumerate(text.splitlines(), start=1):
        line, commented = without_comments(raw, commented)
        if line.lstrip().startswith("//"):
            continue  # the footer: // vyos-config-version …
        found = _BRACE_TOKEN.findall(line)
        if any(t.startswith('"') and (len(t) < 2 or not t.endswith('"')) for t in found):
            conf.problems.append((f"{source}:{number}", "a quote is never closed"))
            continue
        tokens = [_unquoted(t) for t in found]
        if not tokens:
            continue
        if tokens == ["}"]:
            if len(stack) > 1:
                stack.pop()
            else:
                conf.problems.append((f"{source}:{number}", "a '}' closes nothing"))
            continue
        opens = tokens[-1] == "{"
        words = tokens[:-1] if opens else tokens
        if len(stack) + len(words) > MAX_DEPTH:
            conf.problems.append((f"{source}:{number}", f"nested deeper than {MAX_DEPTH}"))
            return conf
        node = stack[-1]
        for word in words:
            node = node.add(word, number, source)
        if opens:
            stack.append(node)
    if len(stack) > 1:
        conf.problems.append((stack[-1].where, f"'{stack[-1].name} {{' is never closed with '}}'"))
    _keep_sections(root)
    return conf


def _unquoted(token: str) -> str:
    """A config.boot value as VyOS reads it: quotes off, ``\\"`` and ``\\\\`` unescaped."""
    if not token.startswith('"'):
        return token
    return re.sub(r"\\(.)", r"\1", token[1:-1])


def _parse_json(text: str, source: str) -> VyosConf:
    conf = VyosConf(Node("", 0, source), "json")
    try:
        json.loads(text)
        _json_object(conf.root, _json_tokens(text), 0, source, 0)
    except json.JSONDecodeError as exc:
        conf.problems.append(
            (f"{source}:{exc.lineno}", f"not JSON ({exc.msg}, column {exc.colno})")
        )
        return conf
    except RecursionError:  # json.loads' own limit, or MAX_DEPTH
        conf.problems.append((f"{source}:1", f"nested deeper than {MAX_DEPTH}"))
        conf.root.children.clear()
        return conf
    _keep_sections(conf.root)
    return conf


def _json_tokens(text: str) -> list[tuple[str, int]]:
    """Valid JSON's tokens, each with its line (strings decoded)."""
    out, line, at = [], 1, 0
    for found in _JSON_TOKEN.finditer(text):
        line += text.count("\n", at, found.start())
        at = found.start()
        token = found[0]
        out.append((json.loads(token) if token.startswith('"') else token, line))
    return out


def _json_object(node: Node, tokens: list, i: int, source: str, depth: int) -> int:
    """The object starting at tokens[i] ('{') under ``node``; the index after it."""
    if depth > MAX_DEPTH:
        raise RecursionError
    i += 1
    while tokens[i][0] != "}":
        key, line = tokens[i]
        child = node.add(str(key), line, source)
        i = _json_value(child, tokens, i + 2, source, depth + 1)  # past the key and ':'
        if tokens[i][0] == ",":
            i += 1
    return i + 1


def _json_value(node: Node, tokens: list, i: int, source: str, depth: int) -> int:
    token, line = tokens[i]
    if token == "{":
        return _json_object(node, tokens, i, source, depth)
    if token == "[":
        i += 1
        while tokens[i][0] != "]":
            i = _json_value(node, tokens, i, source, depth)
            if tokens[i][0] == ",":
                i += 1
        return i + 1
    if token != VALUELESS:
        node.add(str(token), line, source)
    return i + 1


def _keep_sections(root: Node) -> None:
    for name in list(root.children):
        if name not in SECTIONS:
            del root.children[name]
