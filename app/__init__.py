"""Custody Desk: the operations desk of a mirrored-collateral custody programme."""

__version__ = "0.1.0"
