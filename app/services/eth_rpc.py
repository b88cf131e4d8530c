"""Read-only JSON-RPC to an EVM chain: the Safe's owners, threshold and nonce, a token's decimals.

The desk never broadcasts: it reads with ``eth_call`` when the setting
``chain.rpc_url`` names a node, and writes the ``execTransaction`` call to a file for
any broadcaster. ABI encoding and decoding are eth-abi's.
"""

from __future__ import annotations

from typing import Any

import httpx
from eth_abi.abi import decode as abi_decode
from eth_utils.address import to_checksum_address
from eth_utils.crypto import keccak

RPC_SETTING = "chain.rpc_url"
TIMEOUT = 10.0


class ChainError(Exception):
    """The chain could not be read (unreachable node, error answer, undecodable result)."""


def _selector(signature: str) -> str:
    return "0x" + bytes(keccak(text=signature))[:4].hex()


class ChainReader:
    """One JSON-RPC endpoint (http/https)."""

    def __init__(self, url: str, *, timeout: float = TIMEOUT) -> None:
        if not url.startswith(("http://", "https://")):
            raise ChainError(f"{RPC_SETTING} must be an http(s) URL, not {url!r}")
        self.url = url
        self.timeout = timeout
        self._id = 0

    def _request(self, method: str, params: list[Any]) -> Any:
        self._id += 1
        try:
            response = httpx.post(
                self.url,
                json={"jsonrpc": "2.0", "id": self._id, "method": method, "params": params},
                timeout=self.timeout,
            )
            response.raise_for_status()
            answer = response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise ChainError(f"{self.url}: {method} failed: {exc}") from exc
        if not isinstance(answer, dict) or "error" in answer or "result" not in answer:
            raise ChainError(f"{self.url}: {method} answered {answer!r}")
        return answer["result"]

    def chain_id(self) -> int:
        result = self._request("eth_chainId", [])
        try:
            return int(result, 16) if isinstance(result, str) else int(result)
        except (TypeError, ValueError) as exc:
            raise ChainError(f"{self.url}: eth_chainId answered {result!r}") from exc

    def call(self, to: str, signature: str, result_types: list[str]) -> tuple[Any, ...]:
        data = self._request("eth_call", [{"to": to, "data": _selector(signature)}, "latest"])
        try:
            raw = bytes.fromhex(str(data).removeprefix("0x"))
            return tuple(abi_decode(result_types, raw))
        except Exception as exc:  # eth-abi's decoding errors: not the contract we expect
            raise ChainError(f"{to}.{signature} returned {data!r}: {exc}") from exc

    # ---- what the desk reads ---------------------------------------------------------

    def safe_owners(self, safe: str) -> list[str]:
        (owners,) = self.call(safe, "getOwners()", ["address[]"])
        return [str(to_checksum_address(o)) for o in owners]

    def safe_threshold(self, safe: str) -> int:
        return int(self.call(safe, "getThreshold()", ["uint256"])[0])

    def safe_nonce(self, safe: str) -> int:
        return int(self.call(safe, "nonce()", ["uint256"])[0])

    def token_decimals(self, token: str) -> int:
        return int(self.call(token, "decimals()", ["uint8"])[0])
