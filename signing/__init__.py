"""Signing library: signer interface, device drivers, emulator, verification.

Imports neither app nor Qt.
"""
