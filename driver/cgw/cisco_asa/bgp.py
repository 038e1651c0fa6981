"""A Cisco ASA's BGP: its ``router bgp`` read by FRR's reader (driver/cgw/frr/conf.py),
since the ASA writes BGP as IOS does (``address-family ipv4 unicast``, ``neighbor A
remote-as N``, ``neighbor A timers``, ``activate``, ``network A mask M``; Cisco ASA
Series General Operations CLI Configuration Guide, "BGP"), each value with its line."""

from __future__ import annotations

from driver.cgw.cisco_ios.conf import IosConf
from driver.cgw.frr import conf as frr_conf


def asa_bgp(conf: IosConf) -> frr_conf.BgpConfig | None:
    if not conf.all("router", "bgp"):
        return None
    return frr_conf.parse(conf.text, conf.source, "cisco-asa")
