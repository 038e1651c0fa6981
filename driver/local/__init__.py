"""The local target: the embedded AWS emulator and the data plane in namespaces."""
