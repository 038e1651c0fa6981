#!/usr/bin/env bash
# Installs the Debian packages vpnlab needs, only those missing (idempotent,
# instant when everything is there). Checks the tools no registry provides.
set -euo pipefail

packages=(
  strongswan-charon strongswan-swanctl strongswan-starter   # charon, swanctl, ipsec starter
  libcharon-extra-plugins libstrongswan-extra-plugins       # kernel-libipsec and friends
  libstrongswan-standard-plugins                            # openssl, gcm, aesni (AES-GCM, ECP groups)
  cloud-init                                                # `cloud-init schema` in tests
  iproute2 iptables iputils-ping                            # namespaces, veth, NAT, ping
  procps util-linux                                         # ps, runuser (the privacy test)
  graphviz                                                  # diagrams
  nodejs                                                    # jsii (cdktf synthesis)
  qemu-system-x86 linux-image-amd64 busybox-static          # the guest kernel (virtme-ng): route-based tunnels
  frr                                                       # BGP: zebra and bgpd in the VGW's and the VPN server's namespaces
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' \
    || missing+=("$p")
done

if ((${#missing[@]})); then
  echo "setup: installing Debian packages: ${missing[*]}"
  sudo=""
  if [[ $(id -u) != 0 ]]; then
    command -v sudo >/dev/null || { echo "setup: need root (or sudo) to install ${missing[*]}" >&2; exit 1; }
    sudo=sudo
  fi
  # Packages must not start daemons on the host: vpnlab runs its own charons
  # in namespaces. policy-rc.d keeps maintainer scripts from starting them.
  guard=""
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\nexit 101\n' | $sudo tee /usr/sbin/policy-rc.d >/dev/null
    $sudo chmod +x /usr/sbin/policy-rc.d
    guard=1
  fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
  [[ -n $guard ]] && $sudo rm -f /usr/sbin/policy-rc.d
  # Debian's strongswan-starter unit may still be enabled: vpnlab never uses it.
  if command -v systemctl >/dev/null && [[ -d /run/systemd/system ]]; then
    $sudo systemctl disable --now strongswan-starter.service ipsec.service frr.service >/dev/null 2>&1 || true
  fi
fi

if ! command -v terraform >/dev/null; then
  cat >&2 <<'MSG'
setup: terraform is not installed. vpnlab needs Terraform >= 1.5 on PATH.
       Install it from HashiCorp's releases or your OS's package manager,
       then run `make setup` again.
MSG
  exit 1
fi
