"""The AWS target: apply with a pre-flight, verify, clean-up, pricing."""
