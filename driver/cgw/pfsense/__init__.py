"""pfSense: a config.xml backup's IPsec (phase 1, phase 2), interfaces and static routes."""
