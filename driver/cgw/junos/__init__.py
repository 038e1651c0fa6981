"""A Juniper SRX's configuration (Junos: set commands or the hierarchical form):
read as Junos reads it, into the tunnel records every implementation's files become
(driver/cgw/record.py)."""
