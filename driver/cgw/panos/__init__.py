"""A Palo Alto firewall's configuration (PAN-OS, set commands or XML): read as PAN-OS
reads it, into the tunnel records every implementation's files become
(driver/cgw/record.py)."""
