"""The routers vpnlab reads, lints and runs as twins: one Dialect each
(driver/cgw/router.py), in the order detection tries them."""

from __future__ import annotations

from driver.cgw.cisco_asa.dialect import DIALECT as CISCO_ASA
from driver.cgw.cisco_ios.dialect import DIALECT as CISCO_IOS
from driver.cgw.fortigate.dialect import DIALECT as FORTIGATE
from driver.cgw.junos.dialect import DIALECT as JUNOS
from driver.cgw.mikrotik.dialect import DIALECT as MIKROTIK
from driver.cgw.opnsense.dialect import DIALECT as OPNSENSE
from driver.cgw.panos.dialect import DIALECT as PANOS
from driver.cgw.pfsense.dialect import DIALECT as PFSENSE
from driver.cgw.router import Dialect
from driver.cgw.vyos.dialect import DIALECT as VYOS
from driver.cgw.yamaha.dialect import DIALECT as YAMAHA

ROUTERS: dict[str, Dialect] = {
    # an ASA's file has IOS's crypto map lines too: its tunnel groups decide first; an
    # OPNsense's legacy tunnels are pfSense's <phase1>: its root decides first
    d.name: d
    for d in (
        FORTIGATE,
        CISCO_ASA,
        CISCO_IOS,
        PANOS,
        JUNOS,
        YAMAHA,
        VYOS,
        OPNSENSE,
        PFSENSE,
        MIKROTIK,
    )
}
