"""Signed, self-describing documents exchanged with the exchange and the regulator.

``canonical`` is the byte encoding, ``keys`` the trust root, ``envelope`` the
common wire form, ``verify`` the offline verifier (``docs/documents.md``).
"""
