"""Bitcoin key and signature primitives: BIP-39 seeds, BIP-32 keys, RFC 6979 ECDSA,
addresses and BIP-137 signed messages.

Signing and constant-time scalar work go through ``cryptography``; the small
pure-Python curve module covers what it lacks (point addition, recovery).
"""
