"""Rough hourly cost of a lab on AWS, for the pre-flight of ``apply --target aws``.

List prices (USD, on-demand, us-east-1, as published in 2025), kept as data:
regions differ (Tokyo is ~10-30 % higher). This is an estimate to decide
whether to go ahead — the AWS pricing pages are the authority.
"""

from __future__ import annotations

from dataclasses import dataclass

from driver.lab.model import Lab

VPN_CONNECTION_HOUR = 0.05  # Site-to-Site VPN connection-hour
TGW_ATTACHMENT_HOUR = 0.05  # each VPC or VPN attachment to a Transit Gateway (plus $0.02/GB)
PUBLIC_IPV4_HOUR = 0.005  # every public IPv4 address, the Elastic IP included
GP3_GB_MONTH = 0.08  # root volumes
ROOT_VOLUME_GB = 8
HOURS_PER_MONTH = 730
INTERFACE_ENDPOINT_HOUR = 0.01  # per endpoint and Availability Zone (plus $0.01/GB)
SSM_ENDPOINTS = 3  # ssm, ssmmessages, ec2messages in each VPC (modules/endpoints.py)
ANALYSIS = 0.10  # one Reachability Analyzer analysis (a VGW lab's verify runs two)
INSTANCE_HOUR = {
    "t3.nano": 0.0052,
    "t3.micro": 0.0104,
    "t3.small": 0.0208,
    "t3.medium": 0.0416,
    "t3a.micro": 0.0094,
    "t3a.small": 0.0188,
    "t4g.micro": 0.0084,
    "t4g.small": 0.0168,
    "m5.large": 0.096,
    "c5.large": 0.085,
}


@dataclass(frozen=True)
class Line:
    item: str
    hourly: float | None  # None: unknown (no price in the table)


def estimate(lab: Lab) -> list[Line]:
    if lab.transit_gateway is not None:
        return _transit(lab)
    instances = [
        ("VPN server", lab.onprem.vpn_server.instance_type),
        ("AWS test host", lab.aws.test_host.instance_type),
        ("on-prem test host", lab.onprem.test_host.instance_type),
    ]
    if lab.firewall:
        instances.append(("firewall appliance", lab.firewall.instance_type))
    lines = [
        Line("Site-to-Site VPN connection", VPN_CONNECTION_HOUR),
        Line("Elastic IP (public IPv4)", PUBLIC_IPV4_HOUR),
        Line(
            f"{2 * SSM_ENDPOINTS} SSM interface endpoints (2 VPCs)",
            2 * SSM_ENDPOINTS * INTERFACE_ENDPOINT_HOUR,
        ),
    ]
    return lines + _instances(instances)


def _transit(lab: Lab) -> list[Line]:
    """A Transit Gateway lab: a VPN connection, an Elastic IP, a VPN server and a test
    host per site; a test host per VPC; an attachment per VPC and site; SSM's
    endpoints in every VPC (the sites' own included)."""
    sites, vpcs = len(lab.sites), len(lab.vpcs)
    instances = [(f"VPC {v.name} test host", v.test_host.instance_type) for v in lab.vpcs]
    for site in lab.sites:
        instances += [
            (f"site {site.name} VPN server", site.onprem.vpn_server.instance_type),
            (f"site {site.name} test host", site.onprem.test_host.instance_type),
        ]
    lines = [
        Line(f"{sites} Site-to-Site VPN connections", sites * VPN_CONNECTION_HOUR),
        Line(f"{vpcs + sites} Transit Gateway attachments", (vpcs + sites) * TGW_ATTACHMENT_HOUR),
        Line(f"{sites} Elastic IPs (public IPv4)", sites * PUBLIC_IPV4_HOUR),
        Line(
            f"{SSM_ENDPOINTS * (vpcs + sites)} SSM interface endpoints ({vpcs + sites} VPCs)",
            SSM_ENDPOINTS * (vpcs + sites) * INTERFACE_ENDPOINT_HOUR,
        ),
    ]
    return lines + _instances(instances)


def _instances(instances: list[tuple[str, str]]) -> list[Line]:
    lines = [Line(f"{name} ({kind})", INSTANCE_HOUR.get(kind)) for name, kind in instances]
    lines.append(
        Line(
            f"{len(instances)} root volumes (gp3, {ROOT_VOLUME_GB} GiB)",
            len(instances) * ROOT_VOLUME_GB * GP3_GB_MONTH / HOURS_PER_MONTH,
        )
    )
    return lines


def analyses(lab: Lab) -> int:
    """The Reachability Analyzer analyses each verify runs: a VGW lab's two paths, or a
    Transit Gateway lab's one per VPC and site (modules/reachability_paths.py)."""
    if lab.transit_gateway is None:
        return 2
    return len(lab.vpcs) * len(lab.sites)


def table(lines: list[Line], analyses: int = 2) -> str:
    """``analyses``: how many Reachability Analyzer analyses each verify runs."""
    out = [
        f"  {line.item:<44} {'unknown' if line.hourly is None else f'${line.hourly:.4f}/h'}"
        for line in lines
    ]
    known = sum(line.hourly for line in lines if line.hourly is not None)
    unknown = [line.item for line in lines if line.hourly is None]
    out.append(
        f"  {'total':<44} ${known:.3f}/h (~${known * 24:.2f} a day)"
        + (f", plus {', '.join(unknown)}" if unknown else "")
    )
    if analyses:
        count = {1: "one", 2: "two", 3: "three", 4: "four"}.get(analyses, str(analyses))
        noun = "analysis" if analyses == 1 else "analyses"
        out.append(
            f"  each verify adds {count} Reachability Analyzer {noun}: ${analyses * ANALYSIS:.2f}"
        )
    return "\n".join(out)
