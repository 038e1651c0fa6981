"""Why a tunnel did not come up, read from both charons' logs and translated.

The patterns are charon 5.9's own log lines (measured in this lab):

* VGW ``<Tunnel1|1> tried 2 shared keys for 'A' - 'B', but MAC mismatched``,
  server ``received AUTHENTICATION_FAILED notify error``: wrong pre-shared key;
* VGW ``no acceptable ENCRYPTION_ALGORITHM found`` + ``received proposals:`` +
  ``configured proposals:``: proposal mismatch (IKE or ESP);
* VGW ``traffic selectors A === B unacceptable`` / server ``TS_UNACCEPTABLE``;
* server ``retransmit N of request`` / ``giving up after N retransmits``: no
  answer (no route, UDP 500 blocked) — or, after an IKE_SA_INIT answer (IKEv1:
  ``ID_PROT``), UDP 4500 blocked (NAT-T); or, where the VGW's log shows it
  ``received packet`` for the tunnel, its answers lost on the way back. Read per
  tunnel, before charon gives up;
* VGW ``no matching peer config found`` after ``looking for peer configs
  matching A[idr]...B[idi]``: the VPN server's identity is not the customer
  gateway's address;
* server ``skipped invalid proposal string``, either side ``no shared key
  found``, ``unable to install IPsec policies``: the customer's files;
* VGW ``looking for an IKEv1 config`` + ``no IKE config found``: an IKE version
  the tunnel does not accept; ``is initiating a Aggressive Mode IKE_SA``: IKEv1
  aggressive mode (AWS speaks main mode only).

Each diagnosis quotes what AWS's tunnel log says for it (driver/checks/
aws_tunnel_log.py), then explains it.

A cause is *final* for a tunnel only once the customer gateway has been told so
(``received NO_PROPOSAL_CHOSEN notify`` and the like, ``is_final``): the VGW
also logs ``no acceptable KEY_EXCHANGE_METHOD`` when it answers
INVALID_KE_PAYLOAD, a step the customer gateway recovers from by retrying with
the group the VGW asked for.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from driver.checks import aws_tunnel_log
from driver.checks.charon_lines import named, tunnel_of, versions_of

HOST_POLICIES = "the VPN server could not install its IPsec policies"


@dataclass(frozen=True)
class Diagnosis:
    cause: str
    detail: str
    hint: str
    tunnel: str | None = None  # "Tunnel1", when the log says which
    notify: str | None = None  # the error the customer gateway receives when it is final
    log: str = ""  # its entry in AWS's tunnel log catalogue (driver/checks/aws_tunnel_log.py)
    version: str | None = None  # "IKEv1" | "IKEv2", when the log says which
    cgw: str = "xxxx"  # the customer gateway's address, as AWS's log names it

    def text(self) -> str:
        """AWS's words first (as CloudWatch will show them), then vpnlab's explanation."""
        where = f"{self.tunnel}: " if self.tunnel else ""
        said = aws_tunnel_log.quoted(self.log, self.version, self.cgw)
        return f"{where}{said}; {self.cause}: {self.detail} (hint: {self.hint})"


def diagnose(
    vgw_log: str,
    server_log: str,
    local_network: str = "",
    remote_network: str = "",
    tunnel_addresses: tuple[str, ...] = (),
    cgw: str = "",
) -> list[Diagnosis]:
    found: list[Diagnosis] = []
    vgw_lines = named(vgw_log.splitlines(), tunnel_addresses)
    server_lines = server_log.splitlines()

    for line in vgw_lines:
        if "but MAC mismatched" in line:
            ids = re.search(r"for '([^']*)' - '([^']*)'", line)
            found.append(
                Diagnosis(
                    "wrong pre-shared key (AUTHENTICATION_FAILED)",
                    f"the VGW could not verify the VPN server with its key for "
                    f"{ids.group(1)} - {ids.group(2)}"
                    if ids
                    else "MAC mismatched",
                    "the VPN server's key for this tunnel differs from AWS's; copy it again "
                    "from the VPN connection (8-64 of letters, digits, '.', '_')",
                    tunnel_of(line),
                    "AUTHENTICATION_FAILED",
                    log="psk",
                )
            )
        elif "traffic selectors" in line and "unacceptable" in line:
            ts = re.search(r"traffic selectors (.+) === (.+) unacceptable", line)
            proposed = ts.group(2) if ts else "?"
            found.append(
                Diagnosis(
                    "traffic selectors do not match (TS_UNACCEPTABLE)",
                    f"the VGW routes {remote_network or ts.group(1)} (AWS) === "
                    f"{local_network or '?'} (on-prem), the VPN server proposed {proposed} "
                    "as its side",
                    f"set leftsubnet/local_ts to {local_network or 'the local network CIDR'} and "
                    f"rightsubnet/remote_ts to {remote_network or 'the remote network CIDR'}",
                    tunnel_of(line),
                    "TS_UNACCEPTABLE",
                    log="selectors",
                )
            )
    found += _identity_mismatches(vgw_lines)
    found += _proposal_mismatches(vgw_lines)
    found += _refused_exchanges(vgw_lines, cgw)

    if not found:
        found += [_heard(d, vgw_lines) for d in _silence(server_lines)]
    if not found and any("AUTHENTICATION_FAILED" in line for line in server_lines):
        found.append(
            Diagnosis(
                "wrong pre-shared key (AUTHENTICATION_FAILED)",
                "the VGW refused the VPN server's authentication",
                "compare the VPN server's key with AWS's for this tunnel",
                next((tunnel_of(x) for x in server_lines if "AUTHENTICATION_FAILED" in x), None),
                "AUTHENTICATION_FAILED",
                log="psk",
            )
        )
    found += _configuration_errors(vgw_lines, server_lines)
    versions = versions_of(vgw_lines)
    return [
        dataclasses.replace(d, version=versions.get(d.tunnel), cgw=cgw or d.cgw)
        for d in _unique(found)
    ]


def is_final(diagnosis: Diagnosis, server_log: str, tunnel: str) -> bool:
    """Has the customer gateway been told this, for this tunnel? Only then does
    a cause decide a verdict; until then strongSwan may still recover."""
    if diagnosis.notify is None:
        return False
    # charon: "received AUTHENTICATION_FAILED notify error"; Libreswan's pluto:
    # "IKE SA authentication request rejected by peer: AUTHENTICATION_FAILED"
    notify = diagnosis.notify
    told = re.compile(rf"received {notify} (error )?notify|rejected by peer: {notify}\b")
    return any(
        told.search(line) and tunnel_of(line) in (tunnel, None) for line in server_log.splitlines()
    )


def _identity_mismatches(lines: list[str]) -> list[Diagnosis]:
    out = []
    for i, line in enumerate(lines):
        if "no matching peer config found" not in line:
            continue
        looking = next(
            (x for x in reversed(lines[max(i - 5, 0) : i]) if "looking for peer configs" in x),
            "",
        )
        # "matching ME[IDr]...PEER[IDi]": the VGW accepts any IDi (driver/checks/
        # identity.py), so what found no config is the IDr the VPN server asked for.
        ids = re.search(r"matching (\S+?)\[([^\]]*)\]\.\.\.", looking)
        endpoint, asked = ids.groups() if ids else ("its outside address", "?")
        out.append(
            Diagnosis(
                "identity mismatch (no peer config found)",
                f"the VPN server asked for '{asked}' as AWS's identity (its rightid / remote "
                f"id); AWS's tunnel endpoint identifies itself by its outside address {endpoint}",
                "set rightid (swanctl: remote { id }) to the tunnel's outside address, or "
                "leave it out",
                tunnel_of(line),
                "AUTHENTICATION_FAILED",
                log="identity",
            )
        )
    return out


def _configuration_errors(vgw_lines: list[str], server_lines: list[str]) -> list[Diagnosis]:
    """What the customer's own files make charon say (never final: the bound decides)."""
    out = []
    for line in server_lines:
        if "skipped invalid proposal string" in line:
            text = line.split("skipped invalid proposal string", 1)[1].strip(" :'")
            out.append(
                Diagnosis(
                    "invalid proposal string in the customer's configuration",
                    f"charon skipped '{text}' and used what remained (or its defaults)",
                    "write proposals as strongSwan spells them, e.g. aes256-sha256-modp2048!",
                    tunnel_of(line),
                    log="customer-side",
                )
            )
        elif "unable to install" in line and "polic" in line:
            out.append(
                Diagnosis(
                    HOST_POLICIES,
                    line.split("]", 1)[-1].strip(),
                    "with userspace ESP (this kernel has no ESP) policies that exclude the "
                    "gateway's own address or trap policies cannot be installed: a limit of "
                    "this machine, not of the configuration",
                    tunnel_of(line),
                    log="customer-side",
                )
            )
    for side, lines in (("the VPN server", server_lines), ("the VGW", vgw_lines)):
        for line in lines:
            if "no shared key found" in line:
                ids = re.search(r"for '([^']*)' - '([^']*)'", line)
                pair = f"{ids.group(1)} - {ids.group(2)}" if ids else "this tunnel"
                out.append(
                    Diagnosis(
                        "missing shared key",
                        f"{side} has no pre-shared key for {pair}",
                        "add a secret for both IDs (ipsec.secrets: '<local id> <remote> : "
                        'PSK "..."\'; swanctl: secrets { ike-x { id-1, id-2, secret } })',
                        tunnel_of(line),
                        log="customer-side",
                    )
                )
    return out


def _proposal_mismatches(lines: list[str]) -> list[Diagnosis]:
    out = []
    for i, line in enumerate(lines):
        missing = re.search(r"no acceptable (\w+) found", line)
        if not missing:
            continue
        received = configured = None
        for follow in lines[i + 1 : i + 6]:
            if "received proposals:" in follow:
                received = follow.split("received proposals:", 1)[1].strip()
            elif "configured proposals:" in follow:
                configured = follow.split("configured proposals:", 1)[1].strip()
        if not (received and configured):
            continue
        kind = "IKE (phase 1)" if received.startswith("IKE") else "ESP (phase 2)"
        option = "ike=/proposals" if received.startswith("IKE") else "esp=/esp_proposals"
        offered, accepted = _difference(received, configured)
        out.append(
            Diagnosis(
                f"{kind} proposal mismatch (NO_PROPOSAL_CHOSEN)",
                f"the VGW found no acceptable {missing.group(1)}: the VPN server offered "
                f"{offered}, the tunnel options accept {accepted}",
                f"make the VPN server's {option} offer what the tunnel options allow "
                f"({configured})",
                tunnel_of(line),
                "NO_PROPOSAL_CHOSEN",
                log="phase1-proposal" if received.startswith("IKE") else "phase2-proposal",
            )
        )
    return out


def _difference(received: str, configured: str) -> tuple[str, str]:
    """The algorithms one side has and the other lacks, else both lists."""

    def algorithms(proposals: str) -> set[str]:
        return {a for p in proposals.split(", ") for a in p.split(":", 1)[-1].split("/")}

    got, want = algorithms(received), algorithms(configured)
    only_got, only_want = sorted(got - want), sorted(want - got)
    if only_got or only_want:
        return "/".join(only_got) or received, "/".join(only_want) or configured
    return received, configured


def _silence(lines: list[str]) -> list[Diagnosis]:
    """No answer, per tunnel: charon retransmits (and at last gives up)."""
    silent = [
        line
        for line in lines
        if "giving up after" in line or re.search(r"retransmit \d+ of request", line)
    ]
    out = []
    for tunnel in dict.fromkeys(tunnel_of(line) for line in silent):
        mine = [line for line in lines if tunnel_of(line) == tunnel]
        # the VGW's first answer (IKEv2's IKE_SA_INIT, IKEv1's main mode: ID_PROT), and
        # none since the VPN server switched to 4500 (a later exchange answered there,
        # as a kept lab's log holds, is no NAT-T block)
        answered = any(re.search(r"parsed (IKE_SA_INIT|ID_PROT) response", x) for x in mine)
        switched = next((i for i, line in enumerate(mine) if "[4500]" in line), len(mine))
        if answered and not any(" response " in line for line in mine[switched:]):
            out.append(
                Diagnosis(
                    "NAT-T blocked: no answer on UDP 4500",
                    "the VGW answered on UDP 500, then nothing came back once the VPN server "
                    "switched to UDP 4500 (it is behind NAT: the Elastic IP)",
                    "allow UDP 4500 from both tunnel addresses in the VPN server's security "
                    "group and any firewall in between",
                    tunnel,
                    log="nat-t",
                )
            )
        else:
            out.append(
                Diagnosis(
                    "no answer from the VGW (no route, or UDP 500 blocked)",
                    "the VPN server retransmitted its IKE request (IKE_SA_INIT; IKEv1: main "
                    "mode) without an answer",
                    "check the VPN server's default route, that right=/remote_addrs are the "
                    "tunnels' outside addresses, and that UDP 500 and 4500 are allowed",
                    tunnel,
                    log="no-answer",
                )
            )
    return out


def _heard(silence: Diagnosis, vgw_lines: list[str]) -> Diagnosis:
    """A silence AWS's side contradicts: since the tunnel was last established (if
    ever: a kept lab's log holds its whole life), its endpoint received the VPN
    server's IKE and sent answers; it is the answers that never arrived."""
    mine = [line for line in vgw_lines if tunnel_of(line) == silence.tunnel]
    last_up = max((i for i, line in enumerate(mine) if " established " in line), default=-1)
    since = mine[last_up + 1 :]
    heard = any("received packet" in x for x in since) and any("sending packet" in x for x in since)
    if silence.log != "no-answer" or silence.tunnel is None or not heard:
        return silence
    return Diagnosis(
        "AWS's answers do not reach the VPN server",
        "AWS's endpoint received the VPN server's IKE for this tunnel and answered it; "
        "the VPN server retransmitted as if nothing came back",
        "allow UDP 500 and 4500 in from both tunnel addresses on the VPN server's side "
        "(a network ACL or a firewall that does not track the exchange as a connection)",
        silence.tunnel,
        log="answers-lost",
    )


def _refused_exchanges(lines: list[str], cgw: str) -> list[Diagnosis]:
    """Exchanges the VGW refuses before it finds the tunnel's configuration: an IKE
    version the tunnel does not accept, IKEv1 aggressive mode."""
    out = []
    for i, line in enumerate(lines):
        if "is initiating a Aggressive Mode IKE_SA" in line:
            out.append(
                Diagnosis(
                    "IKEv1 aggressive mode",
                    "the VPN server started an aggressive mode exchange; AWS's endpoints "
                    "speak main mode only, and the VGW refused it",
                    "remove aggressive=yes (swanctl: aggressive = no)",
                    tunnel_of(line),
                    "AUTHENTICATION_FAILED",
                    log="aggressive-mode",
                )
            )
        elif "no IKE config found for" in line:
            peer = re.search(r"for \S+?\.\.\.(\S+?),", line)
            looking = " ".join(lines[max(i - 3, 0) : i])
            spoke = re.search(r"looking for an (IKEv\d) config", looking)
            if peer and cgw and peer.group(1) != cgw:
                continue  # not the customer gateway's address: no tunnel of this connection
            version = spoke.group(1) if spoke else "an IKE version"
            out.append(
                Diagnosis(
                    "IKE version not accepted (NO_PROPOSAL_CHOSEN)",
                    f"the VPN server spoke {version}, which the tunnel's IKE versions "
                    "(ike_versions) do not include",
                    "set keyexchange= (swanctl: version =) to a version the tunnel accepts, "
                    "or add it to the tunnel's ike_versions",
                    tunnel_of(line),
                    "NO_PROPOSAL_CHOSEN",
                    log="ike-version",
                )
            )
    return out


def _unique(items: list[Diagnosis]) -> list[Diagnosis]:
    seen, out = set(), []
    for item in items:
        key = (item.cause, item.tunnel, item.detail)
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out
