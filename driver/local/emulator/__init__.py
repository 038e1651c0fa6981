"""The embedded AWS API emulator: moto, extended where a VPN lab needs it."""
