"""vpnlab driver: lab model, rendering, Terraform wrapper and the command line.

Nothing in this package imports cdktf: synthesis runs ``main.py`` in a child
process, so the generator stays replaceable (DESIGN.md §3).
"""
