"""Bitcoin for the emergency vault: account keys, the 2-of-3 P2WSH descriptor, PSBTs.

Built on embit (PSBT/BIP-174, descriptors/BIP-380, BIP-32, addresses) and coincurve
(libsecp256k1 signatures): nothing here re-implements Bitcoin serialisation.
"""
