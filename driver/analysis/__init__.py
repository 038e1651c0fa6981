"""Offline analysis: lint rules (the lab, a customer's configuration as driver/cgw/ reads
it, a Terraform JSON) and the path analysis."""
