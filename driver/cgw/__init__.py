"""The customer gateway: one package per implementation that can play it.

Each reads the other company's files as that implementation itself finds and
reads them (includes, defaults, secrets), keeping each value's file and line:
``strongswan/`` (ipsec.conf with starter, swanctl.conf) and ``frr/`` (FRR or
Quagga, for BGP). Lint (driver/analysis/), ``vpnlab init --from-cgw-config`` and
the local data plane (driver/local/dataplane/cgw.py) use what they read.
"""
