"""The Coldcard encrypted link: ``ncry`` ECDH on secp256k1, then AES-256-CTR.

How the protocol does it (ncry versions 1 and 2):

* each side makes a one-time secp256k1 key pair and sends the 64-byte
  uncompressed public point (x || y, no 0x04 prefix);
* the session key is ``SHA-256(x || y)`` of the shared point ``d * Q``, both
  coordinates as 32-byte big-endian (not the x-only hash most ECDH APIs give);
* each direction is AES-256-CTR under that key with a 128-bit big-endian
  counter starting at zero; the request stream and the response stream each
  keep their own position for the whole session.

The one-time keys are not tied to the wallet; the ``mypb`` answer carries the
master fingerprint and xpub, which the driver compares with what it expects.

All secret-scalar arithmetic runs in OpenSSL (``cryptography``): ECDH gives
``x``, and the sign of ``y`` is fixed by one more ECDH with ``d + 1`` (which
yields ``x(S + Q)``) and a single public point addition in Python.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from hashlib import sha256

from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers import Cipher, CipherContext, algorithms, modes

from signing.crypto import secp256k1
from signing.errors import InvalidInput, ProtocolError

_CURVE = ec.SECP256K1()

SESSION_KEY_LEN = 32


def _point_bytes(key: ec.EllipticCurvePublicKey) -> bytes:
    numbers = key.public_numbers()
    return numbers.x.to_bytes(32, "big") + numbers.y.to_bytes(32, "big")


def load_peer_pubkey(raw: bytes) -> ec.EllipticCurvePublicKey:
    """Parse a 64-byte x||y point; anything not on the curve raises ProtocolError."""
    if len(raw) != 64:
        raise ProtocolError(f"link public key of {len(raw)} bytes, expected 64")
    try:
        return ec.EllipticCurvePublicKey.from_encoded_point(_CURVE, b"\x04" + raw)
    except ValueError as exc:
        raise ProtocolError("link public key is not a secp256k1 point") from exc


@dataclass
class EphemeralKey:
    """A one-time key pair for one ``ncry`` exchange."""

    private_key: ec.EllipticCurvePrivateKey = field(
        default_factory=lambda: ec.generate_private_key(_CURVE)
    )

    @property
    def public_bytes(self) -> bytes:
        """The 64-byte x||y form the protocol sends."""
        return _point_bytes(self.private_key.public_key())

    def session_key(self, peer_raw: bytes) -> bytes:
        """``SHA-256(x || y)`` of ``d * peer``: the key both sides arrive at."""
        peer = load_peer_pubkey(peer_raw)
        x = int.from_bytes(self.private_key.exchange(ec.ECDH(), peer), "big")
        shared = secp256k1.lift_x(x, odd=False)
        if shared is None:
            raise ProtocolError("shared point is not on the curve")
        # Which of (x, y) and (x, -y) is d*Q?  x((d+1)*Q) = x(d*Q + Q) tells them apart.
        d = self.private_key.private_numbers().private_value
        shifted = ec.derive_private_key((d + 1) % secp256k1.N or 1, _CURVE)
        x_shifted = int.from_bytes(shifted.exchange(ec.ECDH(), peer), "big")
        peer_numbers = peer.public_numbers()
        candidate = secp256k1.add(shared, (peer_numbers.x, peer_numbers.y))
        y = shared[1]
        if candidate is None or candidate[0] != x_shifted:
            y = secp256k1.P - y
        return sha256(x.to_bytes(32, "big") + y.to_bytes(32, "big")).digest()


class LinkCipher:
    """Both AES-256-CTR streams of one session, as seen from one end.

    ``seal`` encrypts what this end sends and ``open`` decrypts what it
    receives; each keeps its counter across messages, exactly as the device
    does. A lost message desynchronises the streams: start a new session.
    """

    def __init__(self, session_key: bytes) -> None:
        if len(session_key) != SESSION_KEY_LEN:
            raise InvalidInput("session key must be 32 bytes")
        self._outgoing: CipherContext = self._stream(session_key)
        self._incoming: CipherContext = self._stream(session_key)

    @staticmethod
    def _stream(key: bytes) -> CipherContext:
        return Cipher(algorithms.AES256(key), modes.CTR(bytes(16))).encryptor()

    def seal(self, plaintext: bytes) -> bytes:
        return self._outgoing.update(plaintext)

    def open(self, ciphertext: bytes) -> bytes:
        return self._incoming.update(ciphertext)
