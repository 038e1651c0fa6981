"""Reachability Analyzer for the lab's two paths (the seed's last check).

The paths are Terraform resources (modules/reachability_paths.py); verify starts one
analysis per path, waits for both, reports found / not found with AWS's
explanation codes as sentences, and always deletes the analyses (each one
is billed, and they would outlive the lab otherwise).

API calls: DescribeNetworkInsightsPaths, StartNetworkInsightsAnalysis,
DescribeNetworkInsightsAnalyses, DeleteNetworkInsightsAnalysis.
"""

from __future__ import annotations

import time

from driver.aws_api.waiting import Backoff, Progress, wait_until
from driver.checks.runner import CheckResult

ANALYSIS_POLL = Backoff(first=1.0, longest=10.0)  # an analysis takes a minute on AWS
CODES_URL = "https://docs.aws.amazon.com/vpc/latest/reachability/explanation-codes.html"
# AWS's codes for what can break these paths, as sentences ({…}: the
# explanation's components). Others are named with a pointer to AWS's list.
EXPLANATIONS = {
    "ENI_SG_RULES_MISMATCH": "the security groups {SecurityGroups} of {NetworkInterface} "
    "do not allow this traffic ({Direction})",
    "SUBNET_ACL_RESTRICTION": "network ACL {Acl} of {Subnet} denies this traffic ({Direction})",
    "NO_ROUTE_TO_DESTINATION": "route table {RouteTable} has no route to {Destination}: "
    "enable route propagation from the virtual private gateway, or add a route",
    "CANNOT_ROUTE": "a route in {RouteTable} cannot carry it: its destination does not "
    "match the packet's address",
    "BAD_STATE": "{Component} is not in a working state",
    "BAD_STATE_ATTACHMENT": "{Component} is not attached to {Vpc} (or is still attaching)",
    "BAD_STATE_ROUTE": "a route in {RouteTable} is not active (a blackhole: its target is gone)",
    "BAD_STATE_VPN": "VPN connection {Component} is not in a working state",
    "ENI_SOURCE_DEST_CHECK_RESTRICTION": "{NetworkInterface} has its source/destination "
    "check on, so it cannot forward this traffic",
    # Through a Transit Gateway (a Transit Gateway lab's paths)
    "TGW_ATTACH_MISSING_TGW_RTB_ASSOCIATION": "{TransitGatewayAttachment} is associated with "
    "no route table of {TransitGateway}",
    "TGW_RTB_NO_ROUTE_TO_TGW_ATTACHMENT": "Transit Gateway route table "
    "{TransitGatewayRouteTable} has no route to {TransitGatewayAttachment} for this address"
    "{Route}",
    "TGW_RTB_MORE_SPECIFIC_ROUTE": "Transit Gateway route table {TransitGatewayRouteTable} "
    "has a route to {TransitGatewayAttachment}, but a more specific one wins{Route}",
    "TGW_RTB_BAD_STATE_ROUTE": "Transit Gateway route table {TransitGatewayRouteTable} "
    "drops it{Route}",
}


def explain(explanation: dict) -> str:
    code = explanation.get("ExplanationCode", "?")
    template = EXPLANATIONS.get(code)
    if template is None:
        return f"{code} (see {CODES_URL})"
    fields = {
        key: _component(explanation.get(key))
        for key in (
            "SecurityGroups",
            "NetworkInterface",
            "Acl",
            "Subnet",
            "RouteTable",
            "Destination",
            "Component",
            "Vpc",
            "TransitGateway",
            "TransitGatewayRouteTable",
            "TransitGatewayAttachment",
        )
    }
    fields["Direction"] = explanation.get("Direction", "?")
    route = explanation.get("TransitGatewayRouteTableRoute")
    fields["Route"] = (
        f": {route.get('DestinationCidr', '?')} → "
        f"{route.get('AttachmentId') or route.get('State', '?')}"
        if route
        else ""
    )
    return f"{code}: {template.format(**fields)}"


def _component(value) -> str:
    if isinstance(value, list):
        return ", ".join(_component(v) for v in value) or "?"
    if isinstance(value, dict):
        return value.get("Name") or value.get("Id") or "?"
    return "?"


def analyse_paths(
    ec2,
    paths: dict[str, str],
    timeout: float,
    progress: Progress,
    backoff: Backoff = ANALYSIS_POLL,
) -> list[CheckResult]:
    """Analyse each path (label -> path id); one CheckResult per path."""
    described = {
        p["NetworkInsightsPathId"]: p
        for p in ec2.describe_network_insights_paths(NetworkInsightsPathIds=list(paths.values()))[
            "NetworkInsightsPaths"
        ]
    }
    started = time.monotonic()
    running: dict[str, str] = {}  # label -> analysis id
    try:
        for label, path_id in paths.items():
            analysis = ec2.start_network_insights_analysis(NetworkInsightsPathId=path_id)
            running[label] = analysis["NetworkInsightsAnalysis"]["NetworkInsightsAnalysisId"]
        progress(f"Reachability Analyzer: {len(running)} analyses started")
        answers: dict[str, dict] = {}

        def all_done() -> tuple[bool, str]:
            found = ec2.describe_network_insights_analyses(
                NetworkInsightsAnalysisIds=list(running.values())
            )["NetworkInsightsAnalyses"]
            answers.update({a["NetworkInsightsAnalysisId"]: a for a in found})
            pending = [a for a in found if a["Status"] == "running"]
            return not pending and len(found) == len(running), f"{len(pending)} still running"

        outcome = wait_until(all_done, timeout, "Reachability Analyzer", progress, backoff)
        results = []
        for label, analysis_id in running.items():
            path = described.get(paths[label], {})
            name = (
                f"Reachability Analyzer: {label} "
                f"({path.get('Protocol', '?')}/{path.get('DestinationPort', 'any')})"
            )
            answer = answers.get(analysis_id, {})
            results.append(_result(name, answer, outcome.done, round(outcome.seconds, 2)))
        return results
    finally:
        for analysis_id in running.values():
            ec2.delete_network_insights_analysis(NetworkInsightsAnalysisId=analysis_id)
        if running:
            progress(
                f"  deleted {len(running)} analyses ({time.monotonic() - started:.0f} s in all)"
            )


def _result(name: str, answer: dict, done: bool, seconds: float) -> CheckResult:
    status = answer.get("Status", "missing")
    if not done or status == "running":
        return CheckResult(name, False, seconds, "no answer within the wait")
    if status != "succeeded":
        return CheckResult(
            name, False, seconds, f"analysis {status}: {answer.get('StatusMessage', '')}"
        )
    if answer.get("NetworkPathFound"):
        hops = [c["Component"]["Id"] for c in answer.get("ForwardPathComponents", [])]
        return CheckResult(name, True, seconds, "path found: " + " → ".join(hops))
    reasons = "; ".join(explain(e) for e in answer.get("Explanations", [])) or "no explanation"
    return CheckResult(name, False, seconds, f"not reachable: {reasons}")
