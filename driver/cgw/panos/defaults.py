"""What PAN-OS takes for a key a configuration leaves out, and the crypto profiles
every firewall has from the factory (a gateway or tunnel that names none uses
``default``): the verdict depends on them, so lint and init say which they used.

Sources: PaloAltoNetworks/pan-os-codegen @ 9920a6f1 (specs/network/ike-gateway.yaml:
version ikev1, exchange-mode auto, ike-crypto-profile default, DPD interval 5 and
retry 5; specs/objects/profiles/ipsec-crypto-profile.yaml: dh-group group2;
specs/network/tunnels/ipsec.yaml: ipsec-crypto-profile default); PAN-OS's
administrator's guide ("The default value is 8 hours" for an IKE SA's key; "Group 2
(default)" in IKE phase 1 and 2); the factory profiles as firewalls print them,
identical in three public dumps (PaloAltoNetworks/aws-transit-vpc
prerequisites/bootstrap/config/bootstrap.xml; networktocode/netutils tests/unit/mock/
config/parser/base/paloalto_panos/panos_full_sent.txt; a GUI export).

A yes/no the file leaves out is no: the schema gives none of them a default and
PAN-OS's own exports write ``no`` for every box left unticked (NAT-T, passive mode,
tunnel monitoring), so DPD a file never enables is off too (for IKEv2's liveness
check the sources disagree: the 11.0 administrator's guide says "enabled by default",
a 7.0 knowledge-base article "not enabled by default"; vpnlab takes the file's word,
and off where it says nothing). A profile's own
``encryption`` and ``hash`` have no default at all: left out, lint says so and the
twin refuses rather than guess.
"""

from __future__ import annotations

RELEASE = "PAN-OS 10.2"

GATEWAY = {  # path under the gateway -> its default
    ("protocol", "version"): "ikev1",
    ("protocol", "ikev1", "ike-crypto-profile"): "default",
    ("protocol", "ikev1", "exchange-mode"): "auto",
    ("protocol", "ikev1", "dpd", "enable"): "no",
    ("protocol", "ikev1", "dpd", "interval"): "5",
    ("protocol", "ikev1", "dpd", "retry"): "5",
    ("protocol", "ikev2", "ike-crypto-profile"): "default",
    ("protocol", "ikev2", "dpd", "enable"): "no",
    ("protocol", "ikev2", "dpd", "interval"): "5",
    ("protocol-common", "nat-traversal", "enable"): "no",
    ("protocol-common", "passive-mode"): "no",
    ("protocol-common", "fragmentation", "enable"): "no",
}
TUNNEL = {
    ("auto-key", "ipsec-crypto-profile"): "default",
    ("anti-replay",): "yes",
    ("tunnel-monitor", "enable"): "no",
}
IKE_PROFILE = {("dh-group",): "group2", ("lifetime", "hours"): "8"}
IPSEC_PROFILE = {("dh-group",): "group2", ("lifetime", "hours"): "1"}

# The profiles a firewall has from the factory, by name: (encryption, hashes,
# groups, lifetime in seconds)
FACTORY_IKE = {
    "default": (["aes-128-cbc", "3des"], ["sha1"], ["group2"], 8 * 3600),
    "Suite-B-GCM-128": (["aes-128-cbc"], ["sha256"], ["group19"], 8 * 3600),
    "Suite-B-GCM-256": (["aes-256-cbc"], ["sha384"], ["group20"], 8 * 3600),
}
FACTORY_IPSEC = {
    "default": (["aes-128-cbc", "3des"], ["sha1"], ["group2"], 3600),
    "Suite-B-GCM-128": (["aes-128-gcm"], ["none"], ["group19"], 3600),
    "Suite-B-GCM-256": (["aes-256-gcm"], ["none"], ["group20"], 3600),
}
SECONDS = {"seconds": 1, "minutes": 60, "hours": 3600, "days": 86400}
