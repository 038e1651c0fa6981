# source: the output of jonas-werner/aws-vpn-mikrotik-config-generator @ a7c93658
#   (generateMikrotikConfig.py: its print statements, in their order), written here for
#   a VPN connection with the test lab's values, as its README tells people to paste it.
# Changes: localAddress 192.168.0.180 -> 192.168.0.10 (the lab's VPN server), vpcCidr
#   172.30.0.0/16 -> 10.0.0.0/16, router-id (icanhazip) -> 203.0.113.10; AWS's values
#   (outside and inside addresses, keys, ASNs, DPD, lifetimes) are the lab's. Its traps
#   are kept: tunnel 2's policy disabled ("Mikotik doesn't support routing over both"),
#   two policies (inside /32s and the VPC) on tunnel 1, enc-algorithm= on the proposal.
ip address add address=169.254.255.2/30 interface=sfp-sfpplus1
ip address add address=169.254.255.6/30 interface=sfp-sfpplus1
ip ipsec peer add address=198.51.100.1 local-address=192.168.0.10 name=AWS-VPN-Peer-0
ip ipsec peer add address=198.51.100.2 local-address=192.168.0.10 name=AWS-VPN-Peer-1
ip ipsec identity add peer=AWS-VPN-Peer-0 secret=fixture_psk_tunnel1_0123456789abcdef
ip ipsec identity add peer=AWS-VPN-Peer-1 secret=fixture_psk_tunnel2_0123456789abcdef
ip ipsec profile set [ find default=yes ] dh-group=modp1024 dpd-interval=10s dpd-maximum-failures=3 enc-algorithm=aes-128 lifetime=8h
ip ipsec proposal set [ find default=yes ] enc-algorithm=aes-128-cbc lifetime=1h
routing bgp instance set default as=65000 redistribute-connected=yes redistribute-static=yes router-id=203.0.113.10
routing bgp peer add hold-time=30s keepalive-time=10s name=AWS-VPN-Peer-0 remote-address=169.254.255.1 remote-as=64512
routing bgp peer add hold-time=30s keepalive-time=10s name=AWS-VPN-Peer-1 remote-address=169.254.255.5 remote-as=64512
routing bgp network add network=192.168.0.0/24
routing bgp network add network=10.42.0.0/24
ip firewall nat add action=accept chain=srcnat dst-address=169.254.0.0/16
ip firewall nat add action=accept chain=srcnat dst-address=10.0.0.0/16
ip ipsec policy add dst-address=169.254.255.1 src-address=169.254.255.2 proposal=default peer=AWS-VPN-Peer-0 tunnel=yes
ip ipsec policy add dst-address=169.254.255.5 src-address=169.254.255.6 proposal=default peer=AWS-VPN-Peer-1 tunnel=yes
ip ipsec policy disable [find peer="AWS-VPN-Peer-1"]
ip ipsec policy add dst-address=10.0.0.0/16 src-address=0.0.0.0/0 proposal=default peer=AWS-VPN-Peer-0 tunnel=yes
