"""cdktf constructs of a lab, one concern per module; ``stack.LabStack`` wires them.

Only this package and ``main.py`` import cdktf (docs/architecture.md).
"""
