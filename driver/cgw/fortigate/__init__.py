"""A FortiGate's configuration (FortiOS CLI, as `show` prints it or as people paste
it): read as FortiOS reads it, into the tunnel records every implementation's
files become (driver/cgw/record.py)."""
