"""The data plane: namespaces, real charons, the emulated VGW, the customer gateway."""
