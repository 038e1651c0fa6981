#!/usr/bin/env bash
# Installs the Debian packages vpnlab needs, only those missing (idempotent,
# instant when everything is there). Checks the tools no registry provides.
#
#   setup-system.sh check        what check, lint, init, sheet, diagram need
#   setup-system.sh terraform    + Node.js, and Terraform on PATH (synth, hcl, apply,
#                                verify, destroy): missing, it fails
#   setup-system.sh terraform --report
#                                the same, but a missing Terraform is said, not a failure
set -euo pipefail

component=${1:-check}
report_only=${2:-}

check_packages=(
  strongswan-charon strongswan-swanctl strongswan-starter   # charon, swanctl, ipsec starter
  libcharon-extra-plugins libstrongswan-extra-plugins       # kernel-libipsec and friends
  libstrongswan-standard-plugins                            # openssl, gcm, aesni (AES-GCM, ECP groups)
  cloud-init                                                # `cloud-init schema` in tests
  iproute2 iptables iputils-ping                            # namespaces, veth, NAT, ping
  procps util-linux                                         # ps, runuser (the privacy test)
  python3                                                   # each daemon's launcher (fast start)
  graphviz                                                  # diagrams
  qemu-system-x86 linux-image-amd64 busybox-static          # the guest kernel (virtme-ng): route-based tunnels
  frr                                                       # BGP: zebra and bgpd in the VGW's and the VPN server's namespaces
  libnss3-tools libldns3 libevent-pthreads-2.1-7            # Libreswan's runtime needs (its package is unpacked below)
)
terraform_packages=(
  nodejs                                                    # jsii (cdktf synthesis)
)
case $component in
  check) packages=("${check_packages[@]}") ;;
  terraform) packages=("${terraform_packages[@]}") ;;
  *) echo "setup: unknown component '$component' (check or terraform)" >&2; exit 2 ;;
esac

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

# Libreswan, the customer gateway of RHEL-like servers. Debian's package conflicts
# with strongSwan's (both own /usr/sbin/ipsec and /etc/ipsec.conf), so it is
# unpacked, never installed, into a folder of vpnlab's own: pinned, and
# unpacked again only when that version's folder is missing.
libreswan_version=4.10-2+deb12u1      # driver/cgw/libreswan/install.py: VERSION
libreswan_prefix=/opt/vpnlab/libreswan-$libreswan_version
if [[ $component == check && ! -x $libreswan_prefix/usr/libexec/ipsec/pluto ]]; then
  echo "setup: unpacking Libreswan $libreswan_version into $libreswan_prefix"
  sudo=""
  [[ $(id -u) != 0 ]] && sudo=sudo
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  (cd "$work" && apt-get download -qq "libreswan=$libreswan_version" 2>/dev/null) || {
    echo "setup: apt-get could not download libreswan=$libreswan_version (run apt-get update?)" >&2
    exit 1
  }
  $sudo mkdir -p "$libreswan_prefix.partial"
  $sudo dpkg-deb -x "$work"/libreswan_*.deb "$libreswan_prefix.partial"
  $sudo mv "$libreswan_prefix.partial" "$libreswan_prefix"   # whole, or not at all
fi

if [[ $component == terraform ]] && ! command -v terraform >/dev/null; then
  cat >&2 <<'MSG'
setup: terraform is not installed: synth, hcl, apply, verify, destroy and the
       test suite need Terraform >= 1.5 on PATH (check, lint, init, sheet and
       diagram do not). Install it from HashiCorp's releases or your OS's
       package manager, then run `make setup` again.
MSG
  [[ $report_only == --report ]] || exit 1
fi
