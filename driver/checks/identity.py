"""The IKE identity a customer gateway presents, judged as AWS would (pre-shared keys).

AWS documents no rule on it. What it does document: a customer gateway behind
NAT is created with the NAT device's public address (cgw-options.html), and "if
you do not specify the IP address of your customer gateway device, we do not
check the IP address" (vpn-tunnel-authentication-options.html): AWS knows the
customer gateway by the address its packets come from, and each tunnel has one
key. So the emulated VGW accepts any identity and picks the key by address; this
table says what is known of each case (docs/fidelity.md cites it):

======================  ===========================  ======  ==================================
IKE version             identity presented           AWS     source
======================  ===========================  ======  ==================================
IKEv1 (main mode)       none set (the private         yes     aws-samples/vpn-gateway-strongswan
                        address behind NAT)                   (EC2 behind an Elastic IP,
                                                              keyexchange=ikev1, no leftid;
                                                              reported working, its issue #21)
IKEv1 (main mode)       its private address           yes     the same bytes on the wire
IKEv1 (main mode)       the public address            yes     AWS's strongSwan and Openswan
                                                              samples (leftid=<CGW address>)
IKEv1 (main mode)       an FQDN or key id             open    no source; main mode picks the key
                                                              by address before it sees the ID
IKEv2                   the public address            yes     AWS's samples; public swanctl and
                                                              Libreswan setups behind NAT
IKEv2                   anything else                 open    no source either way
======================  ===========================  ======  ==================================

"open" reads WARN: the tunnel came up in the lab, and nothing published says
AWS accepts it.
"""

from __future__ import annotations

import ipaddress

from driver.lab import aws_rules

OPEN = (
    "AWS documents no rule on the identity; every published configuration that "
    "works behind NAT with {version} presents the customer gateway's public address"
)


def judge(version: str, presented: str, public_ip: str) -> tuple[bool, str]:
    """(questionable, what to say) for an established tunnel's remote identity."""
    if presented == public_ip:
        return False, f"identity {presented} (the customer gateway's address)"
    behind_nat = aws_rules.text_behind_nat(presented)
    what = "its private address" if behind_nat else "not its public address"
    if version == "IKEv1" and _is_ip(presented):
        return False, (
            f"identity {presented} ({what}): AWS picks the key by the address in IKEv1 "
            "main mode and accepts it (aws-samples/vpn-gateway-strongswan sends no leftid)"
        )
    return True, (
        f"identity {presented} ({what}): " + OPEN.format(version=version) + f" ({public_ip}):"
        " set leftid (swanctl: local { id }) to it"
    )


def _is_ip(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True
