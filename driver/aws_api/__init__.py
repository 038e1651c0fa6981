"""Talking to an AWS API, AWS's or the embedded emulator's: bounded waits that
ride out throttling, the errors that are transient, and what of a lab is left."""
