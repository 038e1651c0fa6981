# source: DrMeosch/vrnetlab-games @ 6f7d0d34b856045cd63e2f7482cb9f33a46516d4 topo-mk-bgp-ipsec/r1-config.rsc
# source: https://github.com/DrMeosch/vrnetlab-games/blob/6f7d0d34b856045cd63e2f7482cb9f33a46516d4/topo-mk-bgp-ipsec/r1-config.rsc
# note: RouterOS 7 lab config in export syntax (no "by RouterOS" header; written to be imported). Non-AWS.
#       Shows the v7 BGP grammar (`/routing bgp connection` with dotted keys and the `.role=` / `.network=`
#       shorthand that repeats the previous dotted prefix), IKEv2 transport-mode-style policy between the two
#       tunnel endpoints, and an IPIP interface for route-based forwarding (the usual MikroTik workaround).
#       Changed: ssh-rsa public key body replaced by <SSH_PUBLIC_KEY>; PSK replaced by <PSK>. All addresses are
#       RFC1918 already.
/ip pool
add name=dhcp_pool0 ranges=10.241.10.1-10.241.10.253
add name=dhcp_pool1 ranges=10.241.20.1-10.241.20.253
/ip dhcp-server
add address-pool=dhcp_pool0 interface=ether2 name=dhcp1
add address-pool=dhcp_pool1 interface=ether3 name=dhcp2
/ip address
add address=10.241.10.254/24 interface=ether2 network=10.241.10.0
add address=10.241.20.254/24 interface=ether3 network=10.241.20.0
/ip dhcp-server network
add address=10.241.10.0/24 dns-server=8.8.8.8 gateway=10.241.10.254
add address=10.241.20.0/24 dns-server=8.8.8.8 gateway=10.241.20.254
/ip firewall nat
add action=masquerade chain=srcnat out-interface=ether1
/ip route
add dst-address=0.0.0.0/0 gateway=172.31.255.29
/user ssh-keys
add user=admin key="ssh-rsa <SSH_PUBLIC_KEY>"

/ip firewall address-list
add address=10.241.20.0/24 list=r1-bgp-networks

/interface list
add name=WAN

/interface list member
add interface=ether1 list=WAN

/ip firewall nat
add action=masquerade chain=srcnat ipsec-policy=out,none out-interface-list=WAN

/ip firewall filter
add action=accept chain=input comment="defconf: accept established,related,untracked" \
    connection-state=established,related,untracked
add action=drop chain=input comment="defconf: drop invalid" connection-state=invalid
add action=accept chain=input comment="defconf: accept ICMP" protocol=icmp
add action=accept chain=input comment="defconf: accept to local loopback (for CAPsMAN)" \
    dst-address=127.0.0.1
add action=accept chain=input protocol=ipsec-esp
add action=accept chain=input protocol=ipsec-ah
add action=accept chain=input dst-port=500,4500 protocol=udp
add action=accept chain=input dst-port=22 protocol=tcp
add action=accept chain=forward comment="defconf: accept in ipsec policy" ipsec-policy=\
    in,ipsec
add action=accept chain=forward comment="defconf: accept out ipsec policy" ipsec-policy=\
    out,ipsec log-prefix=filter-forward-out-accept-ipsec
add action=fasttrack-connection chain=forward comment="defconf: fasttrack" connection-mark=\
    no-mark connection-state=established,related hw-offload=yes
add action=accept chain=forward comment="defconf: accept established,related, untracked" \
    connection-state=established,related,untracked
add action=drop chain=forward comment="defconf: drop invalid" connection-state=invalid

/ip ipsec peer
add address=10.241.10.0/24 exchange-mode=ike2 local-address=10.241.10.254 name=peer1 passive=yes send-initial-contact=no
/ip ipsec profile
set [ find default=yes ] dh-group=modp1024 enc-algorithm=aes-256 hash-algorithm=sha256 lifetime=8h
/ip ipsec proposal
set [ find default=yes ] enc-algorithms=aes-256-cbc,aes-128-cbc
/ip ipsec identity
add peer=peer1 secret="<PSK>"
/ip ipsec policy
add dst-address=10.241.10.253/32 peer=peer1 src-address=10.241.10.254/32 tunnel=yes

/interface bridge
add name=bridge-lo0
/ip address
add address=192.168.100.254/32 interface=bridge-lo0

/interface ipip
add allow-fast-path=no local-address=10.241.10.254 name=ipip-tunnel1 remote-address=10.241.10.253

/ip route
add dst-address=192.168.200.254/32 gateway=ipip-tunnel1

/routing bgp connection
add disabled=no listen=yes local.address=192.168.100.254 .role=ebgp multihop=yes name=toR2 output.default-originate=always .network=r1-bgp-networks \
    remote.address=192.168.200.254/32 templates=default

/ip neighbor discovery-settings
set discover-interface-list=none
