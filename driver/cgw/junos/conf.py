"""A Juniper SRX's configuration in either form Junos prints it, read into one tree
(driver/cgw/tree.py), each node with its file and line.

- **hierarchical** (``show configuration``, a saved ``juniper.conf``): ``name {``
  opens a statement, ``}`` closes it, ``key value;`` and ``key [ v1 v2 ];`` set
  values; ``inactive:`` before a statement leaves it out of effect; ``/* … */`` and
  ``# …`` are comments (``## SECRET-DATA`` after a key).
- **set commands** (``show configuration | display set``, or the lines people paste):
  ``set <path> <value>`` or ``… <key> [ v1 v2 ]``; ``delete`` and ``deactivate``
  remove a statement from effect; ``edit <path>`` makes the commands after it
  relative to it until ``top`` (``up`` goes one level up, ``exit`` to the level
  before). One command may set several values, which the schema splits (grammar.py).

Both forms make the same tree: ``set security ike gateway G address 1.2.3.4`` is
``security { ike { gateway G { address 1.2.3.4; } } }``. An interface unit is one
node whichever way it is written: ``st0.1`` is ``st0 unit 1`` (Junos CLI user guide,
"Interface Naming": ``type-fpc/pic/port.unit``). Configuration groups are not
expanded: a file that applies them says so, as its effective configuration is
``show configuration | display inheritance``'s.
(Juniper, "CLI Configuration Mode Overview" and "Additional Details About Specifying
Junos Statements and Identifiers".)
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field

from driver.cgw import schema
from driver.cgw.junos import grammar
from driver.cgw.tree import MAX_DEPTH, Node, parse_braces

_SET = re.compile(r"^\s*(\S+@\S+[#>%]\s*)?(set|edit|delete|deactivate)\s", re.MULTILINE)
_PROMPT = re.compile(r"^[\w.-]+@[\w.()-]+[#>%]\s*")  # user@srx# (as copied from a session)
_UNIT = re.compile(r"^(st0|[a-z]+-\d+/\d+/\d+|lo0|irb|ae\d+)\.(\d+)$")
SECTIONS = ("security", "interfaces", "routing-options", "protocols")
READ = (*SECTIONS, "groups", "apply-groups", "routing-instances")  # what set lines keep


@dataclass
class JunosConf:
    root: Node
    form: str  # "set" | "hierarchical"
    problems: list[tuple[str, str]] = field(default_factory=list)  # (where, what)


def parse(text: str, source: str) -> JunosConf:
    text = text.removeprefix("\ufeff")
    if _first_is_command(text) or "{" not in text:
        conf = _parse_set(text, source)
    else:
        root, problems = parse_braces(text, source, inactive="inactive:", comments=True)
        conf = JunosConf(_units(root), "hierarchical", problems)
    groups = _groups_that_matter(conf.root)
    if groups is not None:
        conf.problems.append(
            (groups.where, f"apply-groups: group {groups.name} sets what vpnlab reads "
             "(security, interfaces, routing), and configuration groups are not expanded "
             "here; give vpnlab `show configuration | display inheritance | display set`, "
             "the configuration in effect")
        )  # fmt: skip
    return conf


def _first_is_command(text: str) -> bool:
    """Set commands, decided by the first line that is no comment: a comment further
    down that reads like a command does not make a hierarchical file one."""
    for line in text.splitlines():
        stripped = _PROMPT.sub("", line.strip(), count=1)
        if stripped and not stripped.startswith(("#", "/*", "*", "[edit")):
            return bool(_SET.match(stripped)) or stripped.split()[0] in ("top", "up", "exit")
    return False


def _parse_set(text: str, source: str) -> JunosConf:
    conf = JunosConf(Node("", 0, source), "set")
    context: list[str] = []  # where `edit` went
    previous: list[list[str]] = []  # the levels `exit` goes back to
    for number, raw in enumerate(text.splitlines(), start=1):
        line = _PROMPT.sub("", raw.strip(), count=1)
        plain = line.split()
        verb = plain[0] if plain else ""
        if line.startswith("[edit") and line.endswith("]"):  # the CLI's banner: where it is
            context, previous = _unit_words(line[1:-1].split()[1:]), []
            continue
        if verb == "top":
            context, previous = [], []
        elif verb == "up":
            for _ in range(int(plain[1]) if plain[1:2] and plain[1].isdecimal() else 1):
                ends = schema.ends_in_entry(context, grammar.ROOT)
                context = context[:-2] if ends else context[:-1]
        elif verb in ("exit", "quit"):
            context = previous.pop() if previous else []
        if verb not in ("set", "delete", "deactivate", "edit"):
            continue  # show, commit, [edit …] banners, # remarks: nothing saved
        if not context and (len(plain) < 2 or plain[1] not in READ):
            continue  # another part of the configuration (system, a banner …)
        where = f"{source}:{number}"
        try:
            words = schema.words_of(shlex.split(line, posix=True)[1:])
        except ValueError:
            conf.problems.append((where, "a quote is never closed: Junos refuses the command"))
            continue
        path = _unit_words(context + words)
        if not schema.balanced(words):
            conf.problems.append((where, "a '[' list is not closed with ']'"))
            continue
        if len(path) > MAX_DEPTH:
            conf.problems.append((where, f"nested deeper than {MAX_DEPTH}"))
            continue
        if verb == "edit":
            previous.append(context)
            context = path
        elif verb in ("delete", "deactivate"):
            parent = conf.root.at(*path[:-1])
            if parent is not None:
                parent.children.pop(path[-1], None)
        else:
            for at, values, kind in schema.assignments(path, grammar.ROOT):
                schema.apply(conf.root, at, values, kind, (number, source))
    return conf


def _unit_words(words: list[str]) -> list[str]:
    """``interfaces st0.1 …`` as ``interfaces st0 unit 1 …``."""
    if len(words) > 1 and words[0] == "interfaces" and (found := _UNIT.match(words[1])):
        return ["interfaces", found[1], "unit", found[2], *words[2:]]
    return words


def _units(root: Node) -> Node:
    """The hierarchical form's ``st0.1 { … }`` as ``st0 { unit 1 { … } }``."""
    interfaces = root.at("interfaces")
    for name in list(interfaces.children) if interfaces else []:
        found = _UNIT.match(name)
        if found:
            node = interfaces.children.pop(name)
            device = interfaces.add(found[1], node.line, node.source)
            unit = device.add("unit", node.line, node.source)
            unit.children[found[2]] = Node(found[2], node.line, node.source, node.children)
    return root


def _groups_that_matter(root: Node) -> Node | None:
    """A configuration group that is applied and sets a section vpnlab reads (AWS's
    vSRX images apply one that touches only system and fxp0: no matter)."""
    applied = set(root.values("apply-groups"))
    todo = [root.at(s) for s in SECTIONS if root.at(s)]
    while todo:
        node = todo.pop()
        applied |= set(node.values("apply-groups"))
        todo.extend(node.children.values())
    for name in applied:
        group = root.at("groups", name)
        if group is not None and set(group.children) & set(SECTIONS):
            return group
    return None
