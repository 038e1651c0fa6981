"""Rendering: the VPN server's and test hosts' files (cloud-init), proposals, the diagram."""
