"""The emulated Coldcard signs a vault PSBT through its PSBT commands.

ckcc-protocol's own client uploads the PSBT (``upld``, ``sha2``), starts signing
(``stxn``), polls (``stok``) and downloads the result (``dwld``) from the
emulator's Coldcard endpoint; the desk's Coldcard driver does the same. The
signatures must verify against the vault keys, and the transaction finalised
with a second party's signature must pass Bitcoin Core's script check.
"""

from __future__ import annotations

import hashlib
import time
from decimal import Decimal

import pytest
from embit.psbt import PSBT

from signing.bitcoin import spend
from signing.bitcoin.vault import Vault, vault_from_keys
from signing.emulator.test_seeds import TEST_MNEMONIC_ABANDON, TEST_MNEMONIC_ALL, TEST_MNEMONIC_ZOO
from signing.errors import UserRejected
from tests.btc_support import (
    RELEASE_ADDRESS,
    account_key,
    funding_tx,
    kernel_verify,
    root_of,
    spent_outputs,
)
from tests.signing.coldcard_helpers import make_hsm, open_signer, running_server

SEEDS = {"regulator": TEST_MNEMONIC_ABANDON, "custodian": TEST_MNEMONIC_ALL,
         "exchange": TEST_MNEMONIC_ZOO}


def vault_and_psbt(network: str = "test") -> tuple[Vault, PSBT]:
    keys = [(p, account_key(m)) for p, m in SEEDS.items()]
    vault = vault_from_keys("client-cc", keys, network)
    fund = funding_tx([(vault.address(0).script_pubkey, 80_000), (vault.address(2).script_pubkey,
                       30_000)])
    coins = [spend.check_coin(vault, fund.txid().hex(), i, out.value, fund.serialize())
             for i, out in enumerate(fund.vout)]
    return vault, spend.build_spend(vault, coins, RELEASE_ADDRESS, Decimal(2))


def ckcc_sign(socket_path: str, psbt: PSBT) -> bytes:
    client = pytest.importorskip("ckcc.client")
    protocol = pytest.importorskip("ckcc.protocol")
    device = client.ColdcardDevice(sn=socket_path)
    try:
        data = psbt.serialize()
        length, sha = device.upload_file(data)
        assert sha == hashlib.sha256(data).digest()
        assert device.send_recv(protocol.CCProtocolPacker.sign_transaction(length, sha)) is None
        for _ in range(500):
            done = device.send_recv(protocol.CCProtocolPacker.get_signed_txn(), timeout=None)
            if done is not None:
                break
            time.sleep(0.01)
        result_len, result_sha = done
        return bytes(device.download_file(result_len, result_sha, file_number=1))
    finally:
        device.close()


def test_ckcc_client_signs_a_psbt_through_the_emulator() -> None:
    vault, psbt = vault_and_psbt()
    with running_server(make_hsm()) as server:
        signed = ckcc_sign(server.socket_path, psbt)
    base = spend.parse_psbt(psbt.to_string())
    added = spend.merge_signatures(base, spend.parse_psbt(signed), vault)
    assert {(s.party, s.input_index) for s in added} == {("custodian", 0), ("custodian", 1)}


def test_desk_driver_signs_and_bitcoin_core_accepts_with_a_second_party() -> None:
    vault, psbt = vault_and_psbt()
    with running_server(make_hsm()) as server:
        signer = open_signer(server)
        try:
            signed = signer.sign_psbt(psbt.to_string())
        finally:
            signer.close()
    base = spend.parse_psbt(psbt.to_string())
    spend.merge_signatures(base, spend.parse_psbt(signed), vault)
    other = PSBT.from_string(psbt.to_string())
    other.sign_with(root_of(SEEDS["exchange"]))
    spend.merge_signatures(base, other, vault)
    assert spend.signed_parties(base, vault) == {"custodian", "exchange"}
    raw = spend.finalize(base, vault)
    assert kernel_verify(raw, spent_outputs(base)) == [True, True]


def test_a_refusal_on_the_device_is_user_rejected() -> None:
    _vault, psbt = vault_and_psbt()
    with running_server(make_hsm(approve="reject")) as server:
        signer = open_signer(server)
        try:
            with pytest.raises(UserRejected):
                signer.sign_psbt(psbt.to_string())
        finally:
            signer.close()


def test_mainnet_keys_are_refused_in_test_mode() -> None:
    from embit.networks import NETWORKS

    from signing.bitcoin.vault import AccountKey, bip48_path

    keys = []
    for party, mnemonic in SEEDS.items():
        root = root_of(mnemonic)
        path = bip48_path("main", 0)
        node = root.derive(list(path)).to_public()
        node.version = NETWORKS["main"]["xpub"]
        keys.append((party, AccountKey.from_hdkey(root.my_fingerprint, path, node, "main")))
    vault = vault_from_keys("client-main", keys, "main")
    fund = funding_tx([(vault.address(0).script_pubkey, 80_000)])
    coin = spend.check_coin(vault, fund.txid().hex(), 0, 80_000, fund.serialize())
    psbt = spend.build_spend(vault, [coin], "bc1qannfxke2tfd4l7vhepehpvt05y83v3qsf6nfkk",
                             Decimal(2))
    client = pytest.importorskip("ckcc.client")
    with running_server(make_hsm()) as server, pytest.raises(client.CCProtoError, match="testnet"):
        ckcc_sign(server.socket_path, psbt)
