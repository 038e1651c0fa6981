"""The lab model: the lab file loaded and validated, AWS's rules, expectations, the address plan."""
