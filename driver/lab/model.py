"""The lab model: a lab file loaded, defaulted and validated.

Plain Python (no cdktf). The dataclasses below are the single declaration of
the lab file's keys: their types, defaults, allowed values and documentation
(``field(metadata=...)``) drive the loader, the validator and the generated
reference in the README. Loading collects *every* problem before failing
(netlab's rule: validate everything, stop at the phase boundary).
"""

from __future__ import annotations

import dataclasses
import ipaddress
import re
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from driver.errors import LabError, Problem
from driver.lab import aws_rules, expectations

Net = ipaddress.IPv4Network


def spec(
    doc: str,
    *,
    choices: tuple = (),
    bounds: tuple | None = None,
    required: bool = False,
    pattern: tuple[str, str] | None = None,
    aws_offers: bool = False,
    separate: bool = False,
) -> dict:
    """Metadata of one lab-file key (see module docstring).

    ``aws_offers`` marks choices that are AWS's list of what it offers, so a
    value outside them is reported as such (not as a typo). ``pattern`` is
    (regex, what it means in words). ``separate`` keys
    are built by their own step (tunnels inherit vpn.tunnel_options).
    """
    return {
        "doc": doc,
        "choices": choices,
        "bounds": bounds,
        "required": required,
        "pattern": pattern,
        "aws_offers": aws_offers,
        "separate": separate,
    }


# --- the lab file, as dataclasses -------------------------------------------


@dataclass(frozen=True)
class Host:
    instance_type: str = field(default="t3.micro", metadata=spec("EC2 instance type."))


@dataclass(frozen=True)
class AwsSide:
    vpc_cidr: Net = field(
        default=None, metadata=spec("CIDR of the AWS VPC (the seed: 10.0.0.0/16).", required=True)
    )
    private_subnet_cidr: Net = field(
        default=None,
        metadata=spec("Private subnet of the AWS test host; inside vpc_cidr.", required=True),
    )
    test_host: Host = field(default_factory=Host, metadata=spec("AWS test instance."))
    route_propagation: bool = field(
        default=True,
        metadata=spec(
            "VGW route propagation on the private subnet's route table (the seed enables it)."
        ),
    )


@dataclass(frozen=True)
class Firewall:
    """A stateful firewall appliance in the AWS VPC (the seed's appendix)."""

    subnet_cidr: Net = field(
        default=None,
        metadata=spec("The firewall's subnet, inside aws.vpc_cidr.", required=True),
    )
    instance_type: str = field(default="t3.micro", metadata=spec("EC2 instance type."))
    ingress_route: bool = field(
        default=True,
        metadata=spec(
            "Route traffic arriving from the VGW for the private subnet through the firewall "
            "(a gateway route table on the VGW)."
        ),
    )


@dataclass(frozen=True)
class OnPremSide:
    vpc_cidr: Net = field(
        default=None,
        metadata=spec(
            "CIDR of the VPC that simulates on-premises (the seed: 192.168.0.0/16).", required=True
        ),
    )
    public_subnet_cidr: Net = field(
        default=None,
        metadata=spec(
            "Public subnet of the VPN server (Elastic IP, internet gateway).", required=True
        ),
    )
    private_subnet_cidr: Net = field(
        default=None, metadata=spec("Private subnet of the on-prem test host.", required=True)
    )
    vpn_server: Host = field(default_factory=Host, metadata=spec("strongSwan VPN server instance."))
    test_host: Host = field(default_factory=Host, metadata=spec("On-prem test instance."))


@dataclass(frozen=True)
class Phase:
    encryption: tuple[str, ...] = field(
        default=("AES256",),
        metadata=spec(
            "Encryption algorithms AWS may accept.",
            choices=tuple(aws_rules.ENCRYPTION),
            aws_offers=True,
        ),
    )
    integrity: tuple[str, ...] = field(
        default=("SHA2-256",),
        metadata=spec(
            "Integrity algorithms (the PRF for GCM in phase 1).",
            choices=tuple(aws_rules.INTEGRITY),
            aws_offers=True,
        ),
    )
    dh_groups: tuple[int, ...] = field(
        default=(14,),
        metadata=spec(
            "Diffie-Hellman groups (phase 1: 2, 14-24; phase 2 also 5). "
            "In phase 2 they are the PFS groups.",
            choices=tuple(sorted(aws_rules.PHASE2_DH_GROUPS)),
            aws_offers=True,
        ),
    )
    lifetime: int = field(
        default=28800,
        metadata=spec(
            "Lifetime in seconds (phase 1: 900-28800; phase 2: 900-3600, below phase 1).",
            bounds=aws_rules.PHASE1_LIFETIME,
        ),
    )


@dataclass(frozen=True)
class TunnelOptions:
    ike_versions: tuple[str, ...] = field(
        default=("ikev2",),
        metadata=spec("IKE versions AWS accepts.", choices=aws_rules.IKE_VERSIONS, aws_offers=True),
    )
    phase1: Phase = field(default_factory=Phase, metadata=spec("IKE SA (phase 1) proposal."))
    phase2: Phase = field(
        default_factory=lambda: Phase(lifetime=3600),
        metadata=spec("CHILD SA / IPsec SA (phase 2) proposal."),
    )
    rekey_margin: int = field(
        default=270,
        metadata=spec(
            "Seconds before expiry at which rekeying starts (60 to half of phase 2 lifetime).",
            bounds=(aws_rules.REKEY_MARGIN_MIN, None),
        ),
    )
    rekey_fuzz: int = field(
        default=100,
        metadata=spec(
            "Percentage by which the rekey time is randomised.", bounds=aws_rules.REKEY_FUZZ
        ),
    )
    replay_window: int = field(
        default=1024,
        metadata=spec("IKE replay window size in packets.", bounds=aws_rules.REPLAY_WINDOW),
    )
    dpd_timeout: int = field(
        default=30,
        metadata=spec(
            "Seconds without an answer after which AWS declares the peer dead (>= 30).",
            bounds=(aws_rules.DPD_TIMEOUT_MIN, None),
        ),
    )
    dpd_action: str = field(
        default="clear",
        metadata=spec("What AWS does on DPD timeout.", choices=aws_rules.DPD_ACTIONS),
    )
    startup_action: str = field(
        default="add",
        metadata=spec(
            "add: the customer gateway initiates; start: AWS initiates (IKEv2 only).",
            choices=aws_rules.STARTUP_ACTIONS,
        ),
    )


@dataclass(frozen=True)
class Tunnel:
    inside_cidr: Net = field(
        default=None,
        metadata=spec(
            "A /30 in 169.254.0.0/16, not reserved by AWS, unique per gateway.", required=True
        ),
    )
    preshared_key: str | None = field(
        default=None,
        metadata=spec(
            "Pre-shared key. Leave it out and AWS generates one (recommended: a key "
            "in a committed file is a leaked key)."
        ),
    )
    options: TunnelOptions = field(
        default_factory=TunnelOptions,
        metadata=spec(
            "This tunnel's options: vpn.tunnel_options, overridden by any option key "
            "written in the tunnel's own entry."
        ),
    )


@dataclass(frozen=True)
class Vpn:
    routing: str = field(
        default="static",
        metadata=spec(
            "Routing of the VPN connection (static: policy-based, the seed's setup).",
            choices=("static",),
        ),
    )
    static_routes: tuple[Net, ...] = field(
        default=(),
        metadata=spec(
            "Prefixes AWS routes into the VPN (the seed: the on-prem CIDR).", required=True
        ),
    )
    local_network_cidr: Net = field(
        default=None,
        metadata=spec("AWS 'local IPv4 network CIDR': the customer (on-prem) side.", required=True),
    )
    remote_network_cidr: Net = field(
        default=None, metadata=spec("AWS 'remote IPv4 network CIDR': the AWS side.", required=True)
    )
    customer_gateway_asn: int = field(
        default=65000, metadata=spec("BGP ASN of the customer gateway.", bounds=aws_rules.BGP_ASN)
    )
    tunnel_options: TunnelOptions = field(
        default_factory=TunnelOptions, metadata=spec("Options shared by both tunnels.")
    )
    tunnels: tuple[Tunnel, ...] = field(
        default=(),
        metadata=spec("Exactly two tunnels, as AWS creates them.", required=True, separate=True),
    )


@dataclass(frozen=True)
class StrongSwan:
    version: str = field(
        default="5.9.11",
        metadata=spec(
            "strongSwan release built on the VPN server (install: source).",
            pattern=(r"\d+\.\d+\.\d+", "e.g. 5.9.11"),
        ),
    )
    sha256: str = field(
        default="ddf53f1f26ad26979d5f55e8da95bd389552f5de3682e35593f9a70b2584ed2d",
        metadata=spec(
            "SHA-256 of strongswan-<version>.tar.bz2; the build stops "
            "if the download does not match.",
            pattern=(r"[0-9a-f]{64}", "64 lowercase hex digits"),
        ),
    )
    install: str = field(
        default="source",
        metadata=spec(
            "source: build the pinned release (the seed's way); package: the "
            "distribution's package.",
            choices=("source", "package"),
        ),
    )
    config_style: str = field(
        default="swanctl",
        metadata=spec(
            "swanctl: swanctl.conf over vici; ipsec.conf: the seed's legacy "
            "ipsec.conf + ipsec.secrets.",
            choices=("swanctl", "ipsec.conf"),
        ),
    )
    dpd_delay: int = field(
        default=10,
        metadata=spec("Seconds between DPD probes sent by the VPN server.", bounds=(1, 3600)),
    )


@dataclass(frozen=True)
class Checks:
    probe_port: int = field(
        default=443,
        metadata=spec(
            "TCP port Reachability Analyzer probes (it cannot analyse ICMP).", bounds=(1, 65535)
        ),
    )
    expect: tuple[str, ...] = field(
        default=expectations.DEFAULT,
        metadata=spec(
            "What verify and check prove, one 'node::probe::argument::expected' each "
            "(driver/lab/expectations.py), e.g. 'aws::ping::{onprem_test_ip}::YES'."
        ),
    )


@dataclass(frozen=True)
class Lab:
    name: str = field(
        default=None,
        metadata=spec(
            "Lab name: in every resource name and tag, so labs can run side by side.",
            required=True,
            pattern=(
                r"[a-z][a-z0-9-]{0,19}",
                "lowercase letters, digits and '-', starting with a letter, at most 20 characters",
            ),
        ),
    )
    region: str = field(
        default="ap-northeast-1",
        metadata=spec("AWS region.", pattern=(r"[a-z]{2}(-[a-z]+)+-\d", "e.g. ap-northeast-1")),
    )
    tags: dict[str, str] = field(
        default_factory=dict,
        metadata=spec("Tags added to every resource, after Name and before resource tags."),
    )
    aws: AwsSide = field(default_factory=AwsSide, metadata=spec("The AWS side."))
    onprem: OnPremSide = field(
        default_factory=OnPremSide, metadata=spec("The simulated on-premises side.")
    )
    vpn: Vpn = field(default_factory=Vpn, metadata=spec("Gateways and the VPN connection."))
    strongswan: StrongSwan = field(
        default_factory=StrongSwan, metadata=spec("The VPN server's strongSwan.")
    )
    checks: Checks = field(default_factory=Checks, metadata=spec("What verify probes."))
    firewall: Firewall | None = field(
        default=None,
        metadata=spec(
            "Optional: a stateful firewall appliance in the AWS VPC; the private subnet routes "
            "0.0.0.0/0 through it (the seed's appendix). `vpnlab lint` traces both directions."
        ),
    )

    @property
    def tunnels(self) -> tuple[Tunnel, ...]:
        return self.vpn.tunnels


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
    _check_semantics(lab, builder)
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
                parent = re.sub(r"(\.[^.\[]+|\[\d+\])$", "", parent)
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


# --- cross-field rules (AWS's and the network's) ------------------------------


def _check_semantics(lab: Lab, b: _Builder) -> None:
    aws, onprem, vpn = lab.aws, lab.onprem, lab.vpn
    for key in lab.tags or {}:
        if key.startswith("vpnlab:"):
            b.problem(
                f"tags.{key}",
                "the tag prefix 'vpnlab:' is vpnlab's own",
                "vpnlab tags every resource with vpnlab:lab for leak checks; choose another key",
            )
    for side, name in ((aws, "aws"), (onprem, "onprem")):
        if side.vpc_cidr is not None and not 16 <= side.vpc_cidr.prefixlen <= 28:
            b.problem(
                f"{name}.vpc_cidr",
                f"{side.vpc_cidr} is not /16 to /28",
                "AWS VPCs are between /16 and /28",
            )
    if aws.vpc_cidr and onprem.vpc_cidr and aws.vpc_cidr.overlaps(onprem.vpc_cidr):
        b.problem(
            "onprem.vpc_cidr",
            f"{onprem.vpc_cidr} overlaps the AWS VPC {aws.vpc_cidr}",
            "the two sides must use disjoint address ranges, or routing cannot tell them apart",
        )
    if lab.firewall is not None and lab.firewall.subnet_cidr is not None and aws.vpc_cidr:
        fw = lab.firewall.subnet_cidr
        if not fw.subnet_of(aws.vpc_cidr):
            b.problem(
                "firewall.subnet_cidr",
                f"{fw} is outside the VPC {aws.vpc_cidr}",
                f"choose a subnet inside {aws.vpc_cidr}",
            )
        elif aws.private_subnet_cidr and fw.overlaps(aws.private_subnet_cidr):
            b.problem(
                "firewall.subnet_cidr",
                f"{fw} overlaps aws.private_subnet_cidr",
                "give the firewall its own subnet",
            )
    subnets = (
        ("aws", aws, ("private_subnet_cidr",)),
        ("onprem", onprem, ("public_subnet_cidr", "private_subnet_cidr")),
    )
    for side_name, side, keys in subnets:
        seen = []
        for key in keys:
            subnet = getattr(side, key)
            if subnet is None or side.vpc_cidr is None:
                continue
            if not subnet.subnet_of(side.vpc_cidr):
                b.problem(
                    f"{side_name}.{key}",
                    f"{subnet} is outside the VPC {side.vpc_cidr}",
                    f"choose a subnet inside {side.vpc_cidr}",
                )
            elif subnet.prefixlen > 28:
                b.problem(
                    f"{side_name}.{key}",
                    f"{subnet} is smaller than /28",
                    "AWS subnets are /16 to /28",
                )
            for other_key, other in seen:
                if subnet.overlaps(other):
                    b.problem(
                        f"{side_name}.{key}",
                        f"{subnet} overlaps {side_name}.{other_key} ({other})",
                        "subnets of one VPC must not overlap",
                    )
            seen.append((key, subnet))
    for i, text in enumerate(lab.checks.expect or ()):
        try:
            expectations.Expectation.parse(text)
        except ValueError as exc:
            b.problem(
                f"checks.expect[{i}]",
                str(exc),
                "write node::probe::argument::expected, e.g. aws::ping::{onprem_test_ip}::YES",
            )
    # Options inherited from vpn.tunnel_options are reported once, there.
    shared_problems = _check_options(vpn.tunnel_options, "vpn.tunnel_options", b)
    for i, tunnel in enumerate(vpn.tunnels):
        _check_tunnel(tunnel, f"vpn.tunnels[{i}]", b, skip=shared_problems)
    cidrs = [t.inside_cidr for t in vpn.tunnels if t.inside_cidr is not None]
    if len(cidrs) == 2 and cidrs[0].overlaps(cidrs[1]):
        b.problem(
            "vpn.tunnels[1].inside_cidr",
            f"{cidrs[1]} is also tunnel 1's inside CIDR",
            "each tunnel needs its own /30, e.g. 169.254.10.0/30 and 169.254.11.0/30",
        )


def _check_tunnel(tunnel: Tunnel, path: str, b: _Builder, skip: set[str]) -> None:
    if tunnel.inside_cidr is not None:
        reason = aws_rules.inside_cidr_problem(tunnel.inside_cidr)
        if reason:
            b.problem(
                f"{path}.inside_cidr",
                reason,
                "pick a free /30 such as 169.254.10.0/30 (not 169.254.0.0/30 to "
                "169.254.5.0/30, not 169.254.169.252/30)",
            )
    if tunnel.preshared_key is not None:
        for reason in aws_rules.psk_problems(tunnel.preshared_key):
            # Never echo the key itself: problems end up in logs.
            b.problem(
                f"{path}.preshared_key",
                f"the pre-shared key {reason}",
                "leave preshared_key out and AWS generates a valid one",
            )
    for problem in _option_problems(tunnel.options, path):
        if problem[1] not in skip:
            b.problem(*problem)


def _check_options(opts: TunnelOptions, path: str, b: _Builder) -> set[str]:
    problems = _option_problems(opts, path)
    for problem in problems:
        b.problem(*problem)
    return {message for _, message, _ in problems}


def _option_problems(opts: TunnelOptions, path: str) -> list[tuple[str, str, str]]:
    """(path, message, hint) for each AWS rule that spans several options."""
    out = []
    p1, p2 = opts.phase1, opts.phase2
    for i, group in enumerate(p1.dh_groups or ()):
        if group not in aws_rules.PHASE1_DH_GROUPS:
            out.append(
                (
                    f"{path}.phase1.dh_groups[{i}]",
                    f"DH group {group} is not offered by AWS in phase 1",
                    "phase 1 accepts 2 and 14-24; 14 or higher is recommended",
                )
            )
    if p2.lifetime is not None and not (
        aws_rules.PHASE2_LIFETIME[0] <= p2.lifetime <= aws_rules.PHASE2_LIFETIME[1]
    ):
        out.append(
            (
                f"{path}.phase2.lifetime",
                f"{p2.lifetime} is out of range",
                "phase 2 lifetime is 900 to 3600 seconds",
            )
        )
    elif p1.lifetime and p2.lifetime and p2.lifetime >= p1.lifetime:
        out.append(
            (
                f"{path}.phase2.lifetime",
                f"phase 2 lifetime {p2.lifetime} s is not below phase 1's {p1.lifetime} s",
                "AWS requires the IPsec SA to expire before the IKE SA",
            )
        )
    if opts.rekey_margin and p2.lifetime and opts.rekey_margin > p2.lifetime // 2:
        out.append(
            (
                f"{path}.rekey_margin",
                f"{opts.rekey_margin} s is more than half the phase 2 lifetime ({p2.lifetime} s)",
                f"use at most {p2.lifetime // 2}",
            )
        )
    if opts.startup_action == "start" and opts.ike_versions and "ikev1" in opts.ike_versions:
        out.append(
            (
                f"{path}.startup_action",
                "startup action 'start' needs IKEv2 only",
                "set ike_versions: [ikev2] or startup_action: add",
            )
        )
    return out
