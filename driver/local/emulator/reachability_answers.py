"""Reachability Analyzer's question asked of EC2's configuration, answered by
vpnlab's path analysis (driver/analysis/path_analysis.py ``trace_tables``).

The emulator answers ``StartNetworkInsightsAnalysis`` with this, so the AWS
target's Reachability Analyzer code path runs end to end without an account.
It reads what the Describe calls return (``Ec2View.load``), so it is plain
data in, an AWS-shaped analysis out:

* the source's security group egress and its subnet's network ACL (outbound);
* the route from the source's subnet, longest prefix first, through
  forwarding interfaces (a firewall appliance), to the destination: the
  destination interface's VPC (local route) or the virtual private gateway,
  which must be attached to the VPC;
* the destination subnet's network ACL (inbound) and its security group
  ingress, for the path's protocol and port, from the source's address.

Explanation codes are AWS's (docs.aws.amazon.com/vpc/latest/reachability/
explanation-codes.html); every blocking component is reported, not just the
first. A Transit Gateway's hops, to one of its attachments, are
driver/local/emulator/transit_reachability.py's. Not modelled: return traffic
through stateless ACLs, prefix lists, peering.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from driver.analysis.path_analysis import Tables, Trace, trace_tables
from driver.local.emulator import transit_reachability as transit
from driver.local.emulator.transit_reachability import TransitView

PROTOCOLS = {"tcp": "6", "udp": "17", "icmp": "1", "-1": "-1", "all": "-1"}


class UnsupportedPath(ValueError):
    """A source or destination kind the emulator's analysis does not model."""


@dataclass
class Ec2View:
    """The configuration the analysis reads, keyed by id, as Describe* returns it."""

    instances: dict[str, dict]
    interfaces: dict[str, dict]
    subnets: dict[str, dict]
    route_tables: list[dict]
    security_groups: dict[str, dict]
    network_acls: list[dict]
    vpn_gateways: dict[str, dict]
    transit: TransitView | None = None  # read for a path to a Transit Gateway attachment

    @classmethod
    def load(cls, ec2, transit: bool = False) -> Ec2View:
        reservations = ec2.describe_instances()["Reservations"]
        return cls(
            instances={i["InstanceId"]: i for r in reservations for i in r["Instances"]},
            interfaces={
                n["NetworkInterfaceId"]: n
                for n in ec2.describe_network_interfaces()["NetworkInterfaces"]
            },
            subnets={s["SubnetId"]: s for s in ec2.describe_subnets()["Subnets"]},
            route_tables=ec2.describe_route_tables()["RouteTables"],
            security_groups={
                g["GroupId"]: g for g in ec2.describe_security_groups()["SecurityGroups"]
            },
            network_acls=ec2.describe_network_acls()["NetworkAcls"],
            vpn_gateways={g["VpnGatewayId"]: g for g in ec2.describe_vpn_gateways()["VpnGateways"]},
            transit=TransitView.load(ec2) if transit else None,
        )

    # --- lookups -----------------------------------------------------------------

    def interface(self, resource_id: str) -> dict:
        """An interface by id, or an instance's primary interface."""
        if resource_id.startswith("i-"):
            instance = self.instances.get(resource_id)
            if instance is None:
                raise UnsupportedPath(f"instance {resource_id} does not exist")
            primary = next(
                n
                for n in instance["NetworkInterfaces"]
                if n.get("Attachment", {}).get("DeviceIndex", 0) == 0
            )
            resource_id = primary["NetworkInterfaceId"]
        if resource_id not in self.interfaces:
            raise UnsupportedPath(f"network interface {resource_id} does not exist")
        return self.interfaces[resource_id]

    def route_table(self, subnet_id: str) -> dict:
        vpc = self.subnets[subnet_id]["VpcId"]
        main = None
        for table in self.route_tables:
            for association in table.get("Associations", []):
                if association.get("SubnetId") == subnet_id:
                    return table
                if association.get("Main") and table["VpcId"] == vpc:
                    main = table
        if main is None:
            raise UnsupportedPath(f"no route table for {subnet_id}")
        return main

    def network_acl(self, subnet_id: str) -> dict | None:
        vpc = self.subnets[subnet_id]["VpcId"]
        default = None
        for acl in self.network_acls:
            if any(a.get("SubnetId") == subnet_id for a in acl.get("Associations", [])):
                return acl
            if acl.get("IsDefault") and acl["VpcId"] == vpc:
                default = acl
        return default

    def tables(self) -> Tables:
        """Every subnet's routes, as the tracer reads them; a forwarding interface
        (source/destination check off) routes by its own subnet's table."""
        tables: Tables = {}
        for subnet_id, subnet in self.subnets.items():
            routes = []
            for route in self.route_table(subnet_id).get("Routes", []):
                cidr = route.get("DestinationCidrBlock")
                if not cidr or route.get("State", "active") != "active":
                    continue
                net = ipaddress.ip_network(cidr)
                routes.append((net, *_route_target(route, subnet["VpcId"], net)))
            tables[subnet_id] = routes
        for eni_id, eni in self.interfaces.items():
            if eni.get("SourceDestCheck") is False:
                tables[eni_id] = tables.get(eni["SubnetId"], [])
        for vpc_id in {s["VpcId"] for s in self.subnets.values()}:
            tables[f"local:{vpc_id}"] = [
                (ipaddress.ip_network(s["CidrBlock"]), "deliver", f"{s['CidrBlock']} ({sid})")
                for sid, s in self.subnets.items()
                if s["VpcId"] == vpc_id
            ]
        return tables


def _route_target(route: dict, vpc_id: str, net) -> tuple[str, str]:
    gateway = route.get("GatewayId", "")
    if gateway == "local":
        return f"local:{vpc_id}", f"{net} local"
    if route.get("NetworkInterfaceId"):
        eni = route["NetworkInterfaceId"]
        return eni, f"{net} → {eni}"
    if gateway:
        how = " (propagated)" if route.get("Origin") == "EnableVgwRoutePropagation" else ""
        return gateway, f"{net} → {gateway}{how}"
    target = route.get("NatGatewayId") or route.get("TransitGatewayId") or "unsupported"
    return target, f"{net} → {target}"


# --- rules ---------------------------------------------------------------------------


def _protocol(value) -> str:
    return PROTOCOLS.get(str(value).lower(), str(value))


def _port_matches(rule_from, rule_to, protocol: str, port: int | None) -> bool:
    if protocol not in ("6", "17") or port is None or rule_from in (None, -1):
        return True
    return int(rule_from) <= port <= int(rule_to)


def sg_allows(
    groups: list[dict], direction: str, protocol: str, port: int | None, peer: str, peer_groups
) -> bool:
    """Does any of these security groups allow the traffic (``direction``: the
    group's ingress or egress; ``peer``: the address at the other end)?"""
    key = "IpPermissions" if direction == "ingress" else "IpPermissionsEgress"
    address = ipaddress.ip_address(peer)
    for group in groups:
        for rule in group.get(key, []):
            rule_protocol = _protocol(rule.get("IpProtocol", "-1"))
            if rule_protocol not in ("-1", protocol):
                continue
            if not _port_matches(rule.get("FromPort"), rule.get("ToPort"), protocol, port):
                continue
            if any(address in ipaddress.ip_network(r["CidrIp"]) for r in rule.get("IpRanges", [])):
                return True
            if any(p.get("GroupId") in peer_groups for p in rule.get("UserIdGroupPairs", [])):
                return True
    return False


def acl_allows(acl: dict | None, egress: bool, protocol: str, port: int | None, peer: str) -> bool:
    """The first matching entry, by rule number, decides (as in a network ACL)."""
    if acl is None:
        return True
    address = ipaddress.ip_address(peer)
    entries = sorted(
        (
            e
            for e in acl.get("Entries", [])
            if bool(e.get("Egress")) == egress and e.get("CidrBlock")
        ),
        key=lambda e: e["RuleNumber"],
    )
    for entry in entries:
        entry_protocol = _protocol(entry.get("Protocol", "-1"))
        if entry_protocol not in ("-1", protocol):
            continue
        ports = entry.get("PortRange") or {}
        if not _port_matches(ports.get("From"), ports.get("To"), protocol, port):
            continue
        if address in ipaddress.ip_network(entry["CidrBlock"]):
            return entry["RuleAction"] == "allow"
    return False


# --- the analysis -------------------------------------------------------------------


@dataclass
class Analysis:
    found: bool
    explanations: list[dict]
    components: list[str]

    def api(self) -> dict:
        return {
            "NetworkPathFound": self.found,
            "Explanations": self.explanations,
            "ForwardPathComponents": [
                {"SequenceNumber": n, "Component": {"Id": c}}
                for n, c in enumerate(self.components, start=1)
            ],
        }


def analyse(view: Ec2View, path: dict) -> Analysis:
    """Answer one network insights path (as DescribeNetworkInsightsPaths returns it)."""
    protocol = _protocol(path.get("Protocol", "tcp"))
    port = path.get("DestinationPort")
    port = int(port) if port is not None else None
    source = view.interface(path["Source"])
    src_ip = path.get("SourceIp") or source["PrivateIpAddress"]
    src_groups = [view.security_groups[g["GroupId"]] for g in source.get("Groups", [])]
    src_group_ids = {g["GroupId"] for g in src_groups}
    explanations: list[dict] = []

    tables = view.tables()
    destination_id = path["Destination"]
    if destination_id.startswith("vgw-"):
        gateway = view.vpn_gateways.get(destination_id)
        if gateway is None:
            raise UnsupportedPath(f"virtual private gateway {destination_id} does not exist")
        attached = any(
            a["VpcId"] == source["VpcId"] and a["State"] == "attached"
            for a in gateway.get("VpcAttachments", [])
        )
        if not attached:
            explanations.append(
                {
                    "ExplanationCode": "BAD_STATE_ATTACHMENT",
                    "Component": {"Id": destination_id},
                    "Vpc": {"Id": source["VpcId"]},
                }
            )
        # The gateway has no address: any destination routed to it will do.
        candidates = [
            str(net.network_address)
            for net, target, _ in tables[source["SubnetId"]]
            if target == destination_id
        ]
        dst_ip, target_node, dst = (candidates or [None])[0], destination_id, None
    elif destination_id.startswith("tgw-attach-"):
        attachment = (view.transit.attachments if view.transit else {}).get(destination_id)
        if attachment is None:
            raise UnsupportedPath(f"transit gateway attachment {destination_id} does not exist")
        dst_ip = path.get("DestinationIp")
        if not dst_ip:  # a VPN attachment has no address of its own
            raise UnsupportedPath(
                f"a path to {destination_id} needs a DestinationIp: the address the "
                "transit gateway's route table is looked up for"
            )
        target_node, candidates, dst = attachment["TransitGatewayId"], [dst_ip], None
    elif destination_id.startswith(("i-", "eni-")):
        dst = view.interface(destination_id)
        dst_ip = path.get("DestinationIp") or dst["PrivateIpAddress"]
        target_node, candidates = "local:" + dst["VpcId"], [dst_ip]
    else:
        raise UnsupportedPath(
            f"the emulator analyses paths to instances, interfaces and VPN gateways, "
            f"not {destination_id}"
        )

    if dst_ip and not sg_allows(src_groups, "egress", protocol, port, dst_ip, set()):
        explanations.append(_sg_mismatch(source, src_groups, "egress"))
    if dst_ip and not acl_allows(
        view.network_acl(source["SubnetId"]), True, protocol, port, dst_ip
    ):
        explanations.append(_acl_restriction(view, source["SubnetId"], "egress"))

    route_table = view.route_table(source["SubnetId"])
    traces: list[Trace] = [
        trace_tables(tables, source["SubnetId"], target_node, ip) for ip in candidates
    ]
    reached = next((t for t in traces if t.reached), None)
    if reached is None:
        explanations.append(
            {
                "ExplanationCode": "NO_ROUTE_TO_DESTINATION",
                "RouteTable": {"Id": route_table["RouteTableId"]},
                "Destination": {"Id": destination_id},
                "Vpc": {"Id": source["VpcId"]},
            }
        )

    if dst is not None:
        if not acl_allows(view.network_acl(dst["SubnetId"]), False, protocol, port, src_ip):
            explanations.append(_acl_restriction(view, dst["SubnetId"], "ingress"))
        dst_groups = [view.security_groups[g["GroupId"]] for g in dst.get("Groups", [])]
        if not sg_allows(dst_groups, "ingress", protocol, port, src_ip, src_group_ids):
            explanations.append(_sg_mismatch(dst, dst_groups, "ingress"))

    components = [source["NetworkInterfaceId"], route_table["RouteTableId"]]
    if reached and destination_id.startswith("tgw-attach-"):
        through = transit.hops(view.transit, target_node, source["VpcId"], destination_id, dst_ip)
        explanations += through.explanations
        components += through.components
    elif reached:
        components += [h.node for h in reached.hops[1:] if not h.node.startswith("local:")]
    if dst is not None:
        components.append(dst["NetworkInterfaceId"])
    return Analysis(not explanations, explanations, list(dict.fromkeys(components)))


def _sg_mismatch(eni: dict, groups: list[dict], direction: str) -> dict:
    return {
        "ExplanationCode": "ENI_SG_RULES_MISMATCH",
        "Direction": direction,
        "NetworkInterface": {"Id": eni["NetworkInterfaceId"]},
        "SecurityGroups": [{"Id": g["GroupId"]} for g in groups],
    }


def _acl_restriction(view: Ec2View, subnet_id: str, direction: str) -> dict:
    acl = view.network_acl(subnet_id) or {}
    return {
        "ExplanationCode": "SUBNET_ACL_RESTRICTION",
        "Direction": direction,
        "Acl": {"Id": acl.get("NetworkAclId", "?")},
        "Subnet": {"Id": subnet_id},
    }
