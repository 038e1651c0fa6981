"""A Yamaha RTX's configuration (``show config``, a saved config.txt): read as the
router reads it, into the tunnel records every implementation's files become
(driver/cgw/record.py)."""
