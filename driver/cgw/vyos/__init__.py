"""VyOS and EdgeOS: ``set vpn ipsec …``, config.boot and config.gateway.json."""
