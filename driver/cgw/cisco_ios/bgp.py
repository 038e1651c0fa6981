"""A Cisco IOS router's BGP: its ``router bgp`` read by FRR's reader
(driver/cgw/frr/conf.py), since FRR's configuration language is IOS's for BGP
(``neighbor A remote-as N``, ``timers``, ``activate``, ``default-originate``,
``network A mask M``, classful ``network A``, a second ``router bgp N`` block
entering the same instance), each value with its line."""

from __future__ import annotations

from driver.cgw.cisco_ios.conf import IosConf
from driver.cgw.frr import conf as frr_conf


def ios_bgp(conf: IosConf) -> frr_conf.BgpConfig | None:
    if not conf.all("router", "bgp"):
        return None
    return frr_conf.parse(conf.text, conf.source, "cisco-ios")
