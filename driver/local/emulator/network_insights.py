"""Reachability Analyzer's API, which moto lacks: network insights paths
(create, describe, delete) and analyses, answered by vpnlab's path analysis
over the emulator's own state (driver/local/emulator/reachability_answers.py)."""

from __future__ import annotations

import os
import secrets

from moto.core.responses import ActionResult
from moto.ec2.responses import EC2Response

from driver.local.emulator import auth
from driver.local.emulator.common import now

_paths: dict[str, dict] = {}


def create_network_insights_path(self) -> ActionResult:
    path_id = "nip-" + secrets.token_hex(8)
    tags = []
    for spec in self._get_param("TagSpecifications", []) or []:
        tags += spec.get("Tags", [])
    path = {
        "NetworkInsightsPathId": path_id,
        "NetworkInsightsPathArn": f"arn:aws:ec2:{self.region}:{self.current_account}:"
        f"network-insights-path/{path_id}",
        "CreatedDate": now(),
        "Source": self._get_param("Source"),
        "Destination": self._get_param("Destination"),
        "SourceIp": self._get_param("SourceIp"),
        "DestinationIp": self._get_param("DestinationIp"),
        "Protocol": self._get_param("Protocol"),
        "DestinationPort": self._get_param("DestinationPort"),
        "Tags": tags,
    }
    _paths[path_id] = {k: v for k, v in path.items() if v is not None}
    return ActionResult({"NetworkInsightsPath": _paths[path_id]})


def describe_network_insights_paths(self) -> ActionResult:
    ids = self._get_param("NetworkInsightsPathIds", []) or []
    found = [p for p in _paths.values() if not ids or p["NetworkInsightsPathId"] in ids]
    if ids and len(found) != len(ids):
        from moto.ec2.exceptions import EC2ClientError

        missing = sorted(set(ids) - {p["NetworkInsightsPathId"] for p in found})[0]
        raise EC2ClientError(
            "InvalidNetworkInsightsPathId.NotFound",
            f"The networkInsightsPath ID '{missing}' does not exist",
        )
    return ActionResult({"NetworkInsightsPaths": found})


def delete_network_insights_path(self) -> ActionResult:
    path_id = self._get_param("NetworkInsightsPathId")
    _paths.pop(path_id, None)
    for analysis_id in [a for a, v in _analyses.items() if v["NetworkInsightsPathId"] == path_id]:
        del _analyses[analysis_id]
    return ActionResult({"NetworkInsightsPathId": path_id})


# --- network insights analyses: vpnlab's path analysis over the emulator's state ------

_analyses: dict[str, dict] = {}


def _own_ec2(self):
    """A client of this very emulator: the analysis reads what Describe* returns."""
    import boto3

    return boto3.client(
        "ec2",
        endpoint_url=f"http://{self.headers['Host']}",
        region_name=self.region,
        aws_access_key_id=os.environ[auth.ACCESS_KEY_ENV],
        aws_secret_access_key=os.environ[auth.SECRET_KEY_ENV],
    )


def start_network_insights_analysis(self) -> ActionResult:
    from moto.ec2.exceptions import EC2ClientError

    from driver.local.emulator import reachability_answers as insights

    path_id = self._get_param("NetworkInsightsPathId")
    path = _paths.get(path_id)
    if path is None:
        raise EC2ClientError(
            "InvalidNetworkInsightsPathId.NotFound",
            f"The networkInsightsPath ID '{path_id}' does not exist",
        )
    analysis_id = "nia-" + secrets.token_hex(8)
    tags = []
    for spec in self._get_param("TagSpecifications", []) or []:
        tags += spec.get("Tags", [])
    analysis = {
        "NetworkInsightsAnalysisId": analysis_id,
        "NetworkInsightsAnalysisArn": f"arn:aws:ec2:{self.region}:{self.current_account}:"
        f"network-insights-analysis/{analysis_id}",
        "NetworkInsightsPathId": path_id,
        "StartDate": now(),
        "Tags": tags,
    }
    try:
        transit = str(path.get("Destination", "")).startswith("tgw-attach-")
        view = insights.Ec2View.load(_own_ec2(self), transit)
        result = insights.analyse(view, path).api()
        analysis |= {"Status": "succeeded", **result}
    except insights.UnsupportedPath as exc:
        analysis |= {"Status": "failed", "StatusMessage": str(exc)}
    _analyses[analysis_id] = analysis
    return ActionResult({"NetworkInsightsAnalysis": analysis})


def describe_network_insights_analyses(self) -> ActionResult:
    ids = self._get_param("NetworkInsightsAnalysisIds", []) or []
    path_id = self._get_param("NetworkInsightsPathId")
    found = [
        a
        for a in _analyses.values()
        if (not ids or a["NetworkInsightsAnalysisId"] in ids)
        and (not path_id or a["NetworkInsightsPathId"] == path_id)
    ]
    return ActionResult({"NetworkInsightsAnalyses": found})


def delete_network_insights_analysis(self) -> ActionResult:
    analysis_id = self._get_param("NetworkInsightsAnalysisId")
    if analysis_id not in _analyses:
        from moto.ec2.exceptions import EC2ClientError

        raise EC2ClientError(
            "InvalidNetworkInsightsAnalysisId.NotFound",
            f"The networkInsightsAnalysis ID '{analysis_id}' does not exist",
        )
    del _analyses[analysis_id]
    return ActionResult({"NetworkInsightsAnalysisId": analysis_id})


def install() -> None:
    for handler in (
        create_network_insights_path,
        describe_network_insights_paths,
        delete_network_insights_path,
        start_network_insights_analysis,
        describe_network_insights_analyses,
        delete_network_insights_analysis,
    ):
        setattr(EC2Response, handler.__name__, handler)
