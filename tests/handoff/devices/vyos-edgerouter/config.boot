/*
 * Source: https://github.com/mikim83/edgerouter_vpc_bgp_dual_wan @ 1b54c29a757db06ae7126cc5a6042096ae89c67e
 * Path: config.boot (last changed in cfed9e4b383b455f0753cd495db8a10440930a20)
 * What: Ubiquiti EdgeRouter, EdgeOS 1.7 (per repo README) config.boot, two AWS VPC VPN tunnels (vti0/vti1) with BGP,
 *   ike-group AWS key-exchange ikev1, esp-group AWS pfs enable; peers/addresses anonymised by the author
 *   (OUTSIDE_VIRTUAL_PRIVATE_GATEWAY_1, --PRIVATE--). No version footer in the original file.
 * Trimmed: top-level firewall, load-balance, port-forward, service and system blocks. Kept interfaces, protocols, vpn.
 */
interfaces {
    ethernet eth0 {
        description "Internet - WAN"
        duplex auto
        pppoe 0 {
            default-route auto
            firewall {
                in {
                    name WAN_IN
                }
                local {
                    name WAN_LOCAL
                }
                out {
                }
            }
            mtu 1492
            name-server auto
            password --PRIVATE--
            user-id --PRIVATE--
        }
        speed auto
    }
    ethernet eth1 {
        address dhcp
        description "Internet - WAN 2"
        disable
        duplex auto
        firewall {
            in {
                name WAN_IN
            }
            local {
                name WAN_LOCAL
            }
        }
        speed auto
    }
    ethernet eth2 {
        address 172.16.1.1/24
        description "Testing LAN"
        duplex auto
        firewall {
            in {
                modify balance
            }
        }
        speed auto
    }
    ethernet eth3 {
        address 10.200.1.1/16
        description LAN
        duplex auto
        firewall {
            in {
                modify balance
            }
        }
        speed auto
    }
    ethernet eth4 {
        duplex auto
        speed auto
    }
    ethernet eth5 {
        duplex auto
        speed auto
    }
    ethernet eth6 {
        duplex auto
        speed auto
    }
    ethernet eth7 {
        duplex auto
        speed auto
    }
    loopback lo {
    }
    vti vti0 {
        address INSIDE_CUSTOMER_GATEWAY_1/30
        description "VPC tunnel 1"
        mtu 1436
    }
    vti vti1 {
        address INSIDE_CUSTOMER_GATEWAY_2/30
        description "VPC tunnel 2"
        mtu 1436
    }
}
protocols {
    bgp 65001 {
        neighbor INSIDE_VIRTUAL_PRIVATE_GATEWAY_1 {
            remote-as 9059
            soft-reconfiguration {
                inbound
            }
            timers {
                holdtime 30
                keepalive 30
            }
        }
        neighbor INSIDE_VIRTUAL_PRIVATE_GATEWAY_2 {
            remote-as 9059
            soft-reconfiguration {
                inbound
            }
            timers {
                holdtime 30
                keepalive 30
            }
        }
        network 10.200.0.0/16 {
        }
    }
    static {
        table 1 {
            interface-route OUTSIDE_VIRTUAL_PRIVATE_GATEWAY_1/32 {
                next-hop-interface pppoe0 {
                }
            }
            interface-route OUTSIDE_VIRTUAL_PRIVATE_GATEWAY_2/32 {
                next-hop-interface pppoe0 {
                }
            }
        }
    }
}
vpn {
    ipsec {
        auto-firewall-nat-exclude enable
        esp-group AWS {
            compression disable
            lifetime 3600
            mode tunnel
            pfs enable
            proposal 1 {
                encryption aes128
                hash sha1
            }
        }
        ike-group AWS {
            dead-peer-detection {
                action restart
                interval 15
                timeout 30
            }
            key-exchange ikev1
            lifetime 28800
            proposal 1 {
                dh-group 2
                encryption aes128
                hash sha1
            }
        }
        ipsec-interfaces {
            interface eth0
        }
        site-to-site {
            peer OUTSIDE_VIRTUAL_PRIVATE_GATEWAY_1 {
                authentication {
                    mode pre-shared-secret
                    pre-shared-secret --PRIVATE--
                }
                connection-type initiate
                description "VPC tunnel 1"
                ike-group AWS
                local-address OUTSIDE_CUSTOMER_GATEWAY
                vti {
                    bind vti0
                    esp-group AWS
                }
            }
            peer OUTSIDE_VIRTUAL_PRIVATE_GATEWAY_2 {
                authentication {
                    mode pre-shared-secret
                    pre-shared-secret --PRIVATE--
                }
                connection-type initiate
                description "VPC tunnel 2"
                ike-group AWS
                local-address OUTSIDE_CUSTOMER_GATEWAY
                vti {
                    bind vti1
                    esp-group AWS
                }
            }
        }
    }
}


