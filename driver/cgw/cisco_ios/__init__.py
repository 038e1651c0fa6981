"""A Cisco IOS / IOS XE router's configuration (``show running-config``, or the
lines people paste): read as IOS reads it, into the tunnel records every
implementation's files become (driver/cgw/record.py)."""
