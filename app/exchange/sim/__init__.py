"""Reference exchange simulator (``custody-desk exchange-sim``): TEST ONLY.

Its signing key comes from a public BIP-39 test mnemonic; it runs on loopback
unless told otherwise, and only ever signs ``env=test`` documents.
"""
