"""Checks: a lab's expectations run against a target, and their report."""
