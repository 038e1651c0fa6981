"""pfSense's proposals in AWS's names. A record holds them as pfSense writes them for
strongSwan (tunnels.py), and pfSense's words are strongSwan's: VyOS's reader of
strongSwan's keywords serves both."""

from __future__ import annotations

from driver.cgw.vyos.proposals import of_record

__all__ = ["of_record"]
