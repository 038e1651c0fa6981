"""Offline analysis: lint rules, the path analysis, strongSwan configuration parsers."""
