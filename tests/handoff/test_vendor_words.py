"""Each device's column of the sheet, held against something that is not the table
it comes from: strongSwan's words read back by lint's proposal reader, Libreswan's
by Libreswan's own algparse, IOS's and FortiOS's written as their configuration
lines and read by vpnlab's readers of those dialects, PAN-OS's, Junos's and Yamaha
RTX's found in published configurations (tests/handoff/devices/, sources cited)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from driver.analysis.cgw_proposals import parsed_proposals
from driver.cgw.cisco_ios import proposals as ios
from driver.cgw.fortigate import proposals as fortios
from driver.cgw.libreswan.tools import algparse
from driver.handoff import vendor_words as words
from driver.handoff.device_table import device_words
from driver.handoff.words import say
from driver.lab import aws_rules
from driver.lab.tunnel_model import Phase, TunnelOptions

DEVICES = sorted((Path(__file__).parent / "devices").iterdir())
CLASSIC = ("AES128", "AES256")
GCM = ("AES128-GCM-16", "AES256-GCM-16")


def english(key, **fields):
    return say("en", key, **fields)


def test_strongswans_words_read_back_as_awss_names():
    v = words.STRONGSWAN
    for enc in aws_rules.ENCRYPTION:
        for integ in aws_rules.INTEGRITY:
            for group in aws_rules.PHASE2_DH_GROUPS:
                hashed = v.ike_prf[integ] if enc in GCM else v.ike_integrity[integ]
                text = f"{v.ike_encryption[enc]}-{hashed}-{v.ike_groups[group]}"
                ((parsed), _) = parsed_proposals(text)
                kind = "prf" if enc in GCM else "integ"
                assert (parsed[0]["enc"], parsed[0][kind], parsed[0]["dh"]) == (
                    {enc},
                    {integ},
                    {group},
                ), text


# Libreswan's own names for AWS's (algparse's output), written here, not derived.
LIBRESWAN_NAMES = {
    "AES128": "AES_CBC_128", "AES256": "AES_CBC_256",
    "AES128-GCM-16": "AES_GCM_16_128", "AES256-GCM-16": "AES_GCM_16_256",
    "SHA1": "HMAC_SHA1", "SHA2-256": "HMAC_SHA2_256", "SHA2-384": "HMAC_SHA2_384",
    "SHA2-512": "HMAC_SHA2_512",
    2: "MODP1024", 5: "MODP1536", 14: "MODP2048", 15: "MODP3072", 16: "MODP4096",
    17: "MODP6144", 18: "MODP8192", 19: "DH19", 20: "DH20", 21: "DH21",
}  # fmt: skip


@pytest.mark.parametrize("protocol", ("ike", "esp"))
def test_libreswans_words_are_what_its_algparse_expands_to_awss_algorithms(protocol):
    v = words.LIBRESWAN
    ike = protocol == "ike"
    encryption = v.ike_encryption if ike else v.esp_encryption
    integrity = v.ike_integrity if ike else v.esp_integrity
    groups = v.ike_groups if ike else v.pfs_groups
    for group, word in groups.items():
        proposal = f"aes256-sha2_256-{word or aws_rules.DH_GROUPS[group]}"
        expanded = algparse(protocol, proposal, ikev1=False)
        if word is None:  # the sheet says Libreswan cannot: algparse refuses it
            assert expanded.errors, proposal
        else:
            assert expanded.expanded[0].endswith(LIBRESWAN_NAMES[group]), proposal
    for enc, word in encryption.items():
        for integ, hashed in integrity.items():
            proposal = f"{word}-{'null' if enc in GCM and not ike else hashed}-modp2048"
            (expanded,) = algparse(protocol, proposal, ikev1=False).expanded
            assert expanded.startswith(LIBRESWAN_NAMES[enc] + "-"), proposal
            if enc in CLASSIC or ike:  # IKE's GCM names the PRF with the integrity word
                assert LIBRESWAN_NAMES[integ] in expanded, proposal


def test_cisco_ios_words_as_configuration_lines_read_back_as_awss_names():
    v = words.CISCO_IOS
    for enc in aws_rules.ENCRYPTION:
        for integ in aws_rules.INTEGRITY:
            for group in (14, 19, 24):
                hashed = v.ike_prf[integ] if enc in GCM else v.ike_integrity[integ]
                (read,) = ios.in_aws_names(f"{v.ike_encryption[enc]} {hashed} group {group}", True)
                assert (read["enc"], read["prf"], read["dh"]) == ({enc}, {integ}, {group})
                pfs = v.pfs_groups[group].removeprefix("set pfs ")
                transforms = v.esp_encryption[enc]
                transforms += "" if enc in GCM else f" {v.esp_integrity[integ]}"
                (esp,) = ios.in_aws_names(f"{transforms} pfs {pfs}", False)
                assert (esp["enc"], esp["dh"]) == ({enc}, {group})
                assert esp["integ"] == (set() if enc in GCM else {integ})
            if enc in CLASSIC:  # IKEv1: an isakmp policy
                line = f"{v.ikev1_encryption[enc]} {v.ikev1_integrity[integ]} group 14"
                (read,) = ios.in_aws_names(line, True)
                assert (read["enc"], read["integ"]) == ({enc}, {integ}), line


def test_fortios_words_as_a_proposal_read_back_as_awss_names():
    v = words.FORTIOS
    for enc in aws_rules.ENCRYPTION:
        for integ in aws_rules.INTEGRITY:
            hashed = v.ike_prf[integ] if enc in GCM else v.ike_integrity[integ]
            (read,) = fortios.in_aws_names(f"{v.ike_encryption[enc]}-{hashed}", "14 21")
            assert (read["enc"], read["prf"], read["dh"]) == ({enc}, {integ}, {14, 21})
            phase2 = v.esp_encryption[enc] + ("" if enc in GCM else f"-{v.esp_integrity[integ]}")
            (read,) = fortios.in_aws_names(phase2, "14")
            assert read["enc"] == {enc} and read["integ"] == (set() if enc in GCM else {integ})


def options_of(raw: dict) -> TunnelOptions:
    def phase(values: dict, default: Phase) -> Phase:
        return Phase(
            encryption=tuple(values["encryption"]),
            integrity=tuple(values["integrity"]),
            dh_groups=tuple(values["dh_groups"]),
            lifetime=values.get("lifetime", default.lifetime),
        )

    default = TunnelOptions()
    return TunnelOptions(
        ike_versions=tuple(raw["ike_versions"]),
        phase1=phase(raw["phase1"], default.phase1),
        phase2=phase(raw["phase2"], default.phase2),
    )


@pytest.mark.parametrize("folder", DEVICES, ids=lambda p: p.name)
def test_the_sheet_speaks_the_words_of_a_published_configuration(folder):
    """Every word the sheet prints for the options a published configuration was
    written for is in that configuration, as a whole word (AWS's own samples for
    IOS, FortiOS, Junos and Yamaha; Cloudflare's for PAN-OS, Junos and Yamaha)."""
    spec = yaml.safe_load((folder / "device.yml").read_text())
    config = " ".join((folder / spec.get("config", "config.txt")).read_text().split())
    (vocabulary,) = [v for v in words.VOCABULARIES if v.title == spec["device"]]
    printed = device_words(vocabulary, options_of(spec["options"]), english)
    for row in spec["rows"]:
        assert "not offered" not in printed[row] and "?" not in printed[row], row
        for fragment in re.split(r", | \+ ", printed[row]):
            fragment = fragment.replace("<gw>", str(spec.get("gateway")))
            # a whole word: not inside another (FortiOS's aes128-sha1 holds two words)
            assert re.search(rf"(?<!\w){re.escape(fragment)}(?!\w)", config), (row, fragment)


def test_vyoss_words_read_back_through_its_reader_as_awss_names():
    """Each of the sheet's VyOS words, written as a proposal of a VyOS configuration,
    is the AWS option it stands for once vpnlab's VyOS reader has read it."""
    from driver.cgw.dialects import ROUTERS
    from driver.cgw.vyos.conf import parse
    from driver.cgw.vyos.tunnels import vyos_tunnels

    v, vyos = words.VYOS, ROUTERS["vyos"]
    for enc in aws_rules.ENCRYPTION:
        for integ in aws_rules.INTEGRITY:
            for group in aws_rules.PHASE2_DH_GROUPS:
                pfs = v.pfs_groups[group].removeprefix("pfs ")
                text = f"""\
set vpn ipsec ike-group G proposal 1 encryption {v.ike_encryption[enc]}
set vpn ipsec ike-group G proposal 1 hash {v.ike_integrity[integ]}
set vpn ipsec ike-group G proposal 1 {v.ike_groups[group]}
set vpn ipsec esp-group E proposal 1 encryption {v.esp_encryption[enc]}
set vpn ipsec esp-group E proposal 1 hash {v.esp_integrity[integ]}
set vpn ipsec esp-group E pfs {pfs}
set vpn ipsec site-to-site peer 198.51.100.1 ike-group G
set vpn ipsec site-to-site peer 198.51.100.1 vti esp-group E
set vpn ipsec site-to-site peer 198.51.100.1 vti bind vti0
"""
                (tunnel,) = vyos_tunnels(parse(text, "vyos"))
                for made in (tunnel.ike_words(), tunnel.esp_words()):
                    (parsed,) = vyos.proposals(made)
                    assert (parsed["enc"], parsed["integ"], parsed["dh"]) == (
                        {enc}, {integ}, {group}
                    ), made  # fmt: skip
