"""Software HSM emulator: TEST ONLY.

``SoftHsm`` (keys from a public BIP-39 test mnemonic, the emulated operator's
approval policy, PIN and unplug) sits behind the Trezor and Coldcard protocol
servers; ``control`` is the loopback channel tests use to drive the operator.
Nothing here may ever hold a real key: see ``test_seeds``.
"""

from signing.emulator.hsm import ApprovalMode, ApprovalPolicy, SoftHsm
from signing.emulator.test_seeds import TEST_MNEMONIC_ALL

__all__ = ["TEST_MNEMONIC_ALL", "ApprovalMode", "ApprovalPolicy", "SoftHsm"]
