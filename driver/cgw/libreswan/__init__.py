"""Libreswan as the customer gateway (the IPsec stack of RHEL, Rocky, Alma, Oracle
and Amazon Linux): its files found and read as Libreswan 4.x reads them, and
judged by its own tools (readwriteconf, algparse) from the version vpnlab pins."""
