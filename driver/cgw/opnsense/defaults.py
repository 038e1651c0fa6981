"""What OPNsense's Connections model takes for a field a config.xml leaves empty,
and what strongSwan then takes for a value OPNsense does not write.

OPNsense writes each enabled item's non-empty fields into swanctl.conf as they are
(``Swanctl::getConfig``, BooleanFields as yes/no), so a field has the default its
model gives it (opnsense/core @ f95e8151,
``src/opnsense/mvc/app/models/OPNsense/IPsec/Swanctl.xml``) and, left empty without
one, strongSwan's own (swanctl.conf(5), strongSwan 5.9): an IKE SA rekeyed every
4 h, no DPD, one keying try, no reauthentication. The IPsec service itself runs only
when ``<ipsec><enable/>`` is set (IPsec.xml's ``general/enabled`` links to it).
"""

from __future__ import annotations

RELEASE = "OPNsense 25.x"

CONNECTION = {"proposals": "default", "version": "0", "aggressive": "0", "mobike": "1",
              "encap": "0", "unique": "no"}  # fmt: skip
CHILD = {
    "esp_proposals": "default",
    "start_action": "start",
    "close_action": "none",
    "dpd_action": "clear",
    "mode": "tunnel",
    "policies": "1",
    "rekey_time": "3600",
}
AUTH = "psk"  # a local's or remote's auth
# strongSwan's (swanctl.conf(5)) where a field is present but empty, so OPNsense
# writes nothing for it
STRONGSWAN = {
    "proposals": "default", "version": "0", "esp_proposals": "default", "start_action": "none",
    "close_action": "none", "dpd_action": "clear", "mode": "tunnel", "rekey_time": "3600",
}  # fmt: skip
# what OPNsense's model accepts (Swanctl.xml's OptionFields and IntegerFields)
OPTIONS = {
    "version": {"0", "1", "2"},
    "start_action": {"none", "trap|start", "route", "start", "trap"},
    "close_action": {"none", "trap", "start"},
    "dpd_action": {"clear", "trap", "start"},
    "mode": {"tunnel", "transport", "pass", "drop"},
}
INTEGERS = ("rekey_time", "reauth_time", "over_time", "dpd_delay", "dpd_timeout", "keyingtries")
# strongSwan's, for the fields OPNsense leaves out of swanctl.conf when empty
IKE_REKEY_TIME = "14400"
KEYINGTRIES = 1
