"""The Coldcard ``show`` and ``p2sh`` requests, byte for byte as ckcc-protocol packs them.

ckcc-protocol (Coinkite's own host library, a test dependency) is the
reference: the desk's codec must produce its exact bytes, and the emulator's parser
must read them back.
"""

from __future__ import annotations

import pytest

from signing.framing import coldcard_messages as msgs

ckcc = pytest.importorskip("ckcc.protocol")
constants = pytest.importorskip("ckcc.constants")

SCRIPT = bytes([0x52]) + b"".join(bytes([33]) + bytes([2]) + bytes([i]) * 32 for i in (1, 2, 3))
SCRIPT += bytes([0x53, 0xAE])


@pytest.mark.parametrize("fmt", list(msgs.AddressFormat))
def test_show_is_ckcc_show_address(fmt: msgs.AddressFormat) -> None:
    path = "m/84'/1'/0'/0/7"
    ours = msgs.encode_show_address(path, fmt)
    assert ours == ckcc.CCProtocolPacker.show_address(path, int(fmt))
    request = msgs.parse_request(ours)
    assert request.command == "show"
    assert msgs.parse_show_address_args(request.args) == (int(fmt), path.encode())


def test_p2sh_is_ckcc_show_p2sh_address() -> None:
    assert msgs.AF_P2WSH == constants.AF_P2WSH
    xfp_paths = [
        (0x8D229E5C, 48 | 0x80000000, 1 | 0x80000000, 0x80000000, 2 | 0x80000000, 7, 0),
        (0x12345678, 48 | 0x80000000, 1 | 0x80000000, 0x80000000, 2 | 0x80000000, 7, 0),
        (0x0A0B0C0D, 48 | 0x80000000, 1 | 0x80000000, 0x80000000, 2 | 0x80000000, 7, 0),
    ]
    ours = msgs.encode_show_p2sh_address(2, xfp_paths, SCRIPT, msgs.AF_P2WSH)
    theirs = ckcc.CCProtocolPacker.show_p2sh_address(
        2, [list(p) for p in xfp_paths], SCRIPT, addr_fmt=constants.AF_P2WSH
    )
    assert ours == theirs
    parsed = msgs.parse_show_p2sh_args(msgs.parse_request(ours).args)
    assert (parsed.addr_fmt, parsed.threshold, parsed.witness_script) == (
        msgs.AF_P2WSH, 2, SCRIPT
    )
    assert parsed.xfp_paths == tuple(xfp_paths)


def test_truncated_p2sh_arguments_are_a_protocol_error() -> None:
    from signing.errors import ProtocolError

    ours = msgs.encode_show_p2sh_address(2, [(1, 2), (3, 4), (5, 6)], SCRIPT, msgs.AF_P2WSH)
    args = msgs.parse_request(ours).args
    for cut in (4, 9, len(args) - 1):
        with pytest.raises(ProtocolError):
            msgs.parse_show_p2sh_args(args[:cut])
    with pytest.raises(ProtocolError):
        msgs.parse_show_p2sh_args(args + b"\x00")
