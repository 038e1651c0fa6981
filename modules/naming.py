"""The one naming function and the one tag order of every resource."""

from driver.lab.model import LAB_TAG, Lab


class Naming:
    def __init__(self, lab: Lab, within: tuple[str, ...] = ()):
        self.lab, self.within_parts = lab, within

    def name(self, *parts: str) -> str:
        """``<lab>-<part>-...``: the lab name is in every name (leak checks, labs side by side)."""
        return "-".join((self.lab.name, *self.within_parts, *parts))

    def account_name(self, *parts: str) -> str:
        """A name the AWS account holds once (IAM's roles and instance profiles): a lab
        part's is ``<lab>.<part>-...``. Lab names hold no '.', so the lab ends there:
        with '-', lab tgw's site tokyo's VPN server role was lab tgw-tokyo's. The lab's
        own names stay ``<lab>-<purpose>``."""
        if not self.within_parts:
            return self.name(*parts)
        return f"{self.lab.name}." + "-".join((*self.within_parts, *parts))

    def within(self, *parts: str) -> "Naming":
        """Names of one part of the lab (a Transit Gateway lab's site or VPC):
        ``<lab>-<part>-...``, tagged with the lab as every other resource."""
        return Naming(self.lab, (*self.within_parts, *parts))

    def tags(self, *parts: str, **resource_tags: str) -> dict[str, str]:
        """Name, then the lab's tags, then the resource's own tags."""
        return {"Name": self.name(*parts), LAB_TAG: self.lab.name, **self.lab.tags, **resource_tags}
