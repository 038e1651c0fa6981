"""vpnlab driver: the lab model, offline analysis, rendering, synthesis, the two
targets (local and AWS), the checks and the command line, one package per
stage of the flow (docs/architecture.md).

Nothing in this package imports cdktf: synthesis runs ``main.py`` in a child
process, so the generator stays replaceable.
"""
