# 2024-12-06 15:23:45 by RouterOS 7.16.2
# software id = 
#
# source: written here in the shape of a RouterOS 7 /export (its header, sections and
#   wrapped lines as rotkonetworks/networking bkk20.rsc (7.16.2) and DrMeosch/vrnetlab-games
#   @ 6f7d0d34 topo-mk-bgp-ipsec/r1-config.rsc print them), configured for an AWS VPN
#   connection with the test lab's values as MikroTik's IPsec manual's site-to-site
#   example does (a profile, a proposal, a peer and identity per tunnel, one tunnel-mode
#   policy per tunnel), IKEv2 with AWS's SHA-256/group 14 options. Both tunnels' policies
#   have the same networks, as people write them: RouterOS sends by the first.
/interface bridge
add admin-mac=48:A9:8A:00:00:01 auto-mac=no comment=defconf name=bridge
/ip ipsec profile
add dh-group=modp2048 dpd-interval=10s dpd-maximum-failures=3 enc-algorithm=aes-128 \
    hash-algorithm=sha256 lifetime=8h name=aws nat-traversal=yes
/ip ipsec peer
add address=198.51.100.1/32 exchange-mode=ike2 local-address=192.168.0.10 name=aws-tunnel1 \
    profile=aws
add address=198.51.100.2/32 exchange-mode=ike2 local-address=192.168.0.10 name=aws-tunnel2 \
    profile=aws
/ip ipsec proposal
set [ find default=yes ] enc-algorithms=aes-256-cbc,aes-192-cbc,aes-128-cbc
add auth-algorithms=sha256 enc-algorithms=aes-128-cbc lifetime=1h name=aws pfs-group=\
    modp2048
/ip address
add address=192.168.1.1/24 comment=defconf interface=bridge network=192.168.1.0
add address=192.168.0.10/24 interface=ether1 network=192.168.0.0
/ip firewall filter
add action=accept chain=forward comment="defconf: accept in ipsec policy" ipsec-policy=\
    in,ipsec
add action=accept chain=forward comment="defconf: accept out ipsec policy" ipsec-policy=\
    out,ipsec
add action=fasttrack-connection chain=forward comment="defconf: fasttrack" connection-state=\
    established,related hw-offload=yes
add action=accept chain=forward comment="defconf: accept established,related, untracked" \
    connection-state=established,related,untracked
/ip firewall nat
add action=masquerade chain=srcnat comment="defconf: masquerade" ipsec-policy=out,none \
    out-interface-list=WAN
/ip ipsec identity
add peer=aws-tunnel1 secret=fixture_psk_tunnel1_0123456789abcdef
add peer=aws-tunnel2 secret=fixture_psk_tunnel2_0123456789abcdef
/ip ipsec policy
add dst-address=10.0.0.0/16 peer=aws-tunnel1 proposal=aws src-address=192.168.0.0/16 \
    tunnel=yes
add dst-address=10.0.0.0/16 peer=aws-tunnel2 proposal=aws src-address=192.168.0.0/16 \
    tunnel=yes
/ip route
add dst-address=0.0.0.0/0 gateway=192.168.0.1
/system identity
set name=branch-office
