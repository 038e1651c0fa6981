"""A check's or verify's report as JUnit XML (``--junit FILE``): what CI systems
(Jenkins, GitLab, GitHub's test reporters) show as tests. One testsuite, one
testcase per row: a FAIL row is a failure, a SKIP row skipped, a WARN row passes
with its warning in the case's output (JUnit has no warning)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from driver.checks.report import Report


def junit(report: Report) -> str:
    counted = [c for c in report.checks if not c.skipped]
    suite = ET.Element(
        "testsuite",
        name=f"vpnlab {report.lab}",
        tests=str(len(report.checks)),
        failures=str(sum(not c.passed for c in counted)),
        skipped=str(sum(c.skipped for c in report.checks)),
        errors="0",
        time=f"{report.seconds:.2f}",
    )
    properties = ET.SubElement(suite, "properties")  # before the cases, as JUnit's XSD has it
    for name, value in (
        ("customer_gateway", report.customer_gateway),
        ("dataplane", report.dataplane or report.esp),
    ):
        ET.SubElement(properties, "property", name=name, value=value)
    for check in report.checks:
        case = ET.SubElement(
            suite, "testcase", classname=report.lab, name=check.name, time=f"{check.seconds:.2f}"
        )
        if check.skipped:
            ET.SubElement(case, "skipped", message=check.detail)
        elif not check.passed:
            failure = ET.SubElement(case, "failure", message=check.verdict, type="FAIL")
            failure.text = check.detail
        else:
            ET.SubElement(case, "system-out").text = f"{check.verdict}: {check.detail}"
    suites = ET.Element("testsuites")
    suites.append(suite)
    ET.indent(suites)
    return ET.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"
