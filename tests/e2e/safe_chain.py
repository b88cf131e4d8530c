"""A local EVM (eth-tester + py-evm) with the real Safe v1.4.1 and a test ERC-20 on it.

The bytecode is the compiled contracts safe-eth-py ships (``Safe_V1_4_1``,
``ProxyFactory_V1_4_1``, ``ERC20TestToken``): no mock of the contract. ``SafeChain``
deploys the singleton and the factory, creates a proxy with ``setup(owners, 2, ...)``,
funds it with the token, and serves the chain as JSON-RPC over loopback HTTP so the
desk reaches it through its ordinary ``chain.rpc_url`` setting.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import safe_eth.eth.contracts as safe_contracts
from eth_tester import EthereumTester, PyEVMBackend
from web3 import Web3
from web3.logs import DISCARD
from web3.providers.eth_tester import EthereumTesterProvider

ABIS = Path(safe_contracts.__file__).parent / "abis"
ZERO = "0x0000000000000000000000000000000000000000"
CHAIN_ID = 131277322940537  # eth-tester's py-evm chain id


def _artifact(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((ABIS / f"{name}.json").read_text())
    return data


class SafeChain:
    """One local chain with one 2-of-3 Safe holding ``supply`` of a test token."""

    def __init__(
        self,
        owners: Sequence[str],
        *,
        threshold: int = 2,
        decimals: int = 18,
        supply: Decimal = Decimal("1000000"),
        symbol: str = "BENJI",
    ) -> None:
        self.tester = EthereumTester(PyEVMBackend())
        self.provider = EthereumTesterProvider(self.tester)
        self.w3 = Web3(self.provider)
        self.deployer = self.w3.eth.accounts[0]
        self.relayer = self.w3.eth.accounts[1]  # anyone may broadcast execTransaction
        self.chain_id = int(self.w3.eth.chain_id)
        self.safe_singleton = self._deploy("Safe_V1_4_1")
        self.factory = self._deploy("ProxyFactory_V1_4_1")
        self._salt = 0
        self.safe_address = self.deploy_safe(owners, threshold)
        safe_abi = _artifact("Safe_V1_4_1")["abi"]
        self.safe = self.w3.eth.contract(address=self.safe_address, abi=safe_abi)
        self.decimals = decimals
        units = int(supply.scaleb(decimals))
        self.token = self._deploy("ERC20TestToken", symbol, symbol, decimals, self.deployer, units)
        self._transact(self.token.functions.transfer(self.safe_address, units))
        self._server: ThreadingHTTPServer | None = None

    def deploy_safe(self, owners: Sequence[str], threshold: int) -> str:
        """Another Safe proxy on this chain (``setup(owners, threshold, ...)``)."""
        setup = self.safe_singleton.encode_abi(
            "setup", args=[list(owners), threshold, ZERO, b"", ZERO, ZERO, 0, ZERO]
        )
        receipt = self._transact(
            self.factory.functions.createProxyWithNonce(
                self.safe_singleton.address, setup, self._salt
            )
        )
        self._salt += 1
        created = self.factory.events.ProxyCreation().process_receipt(receipt, errors=DISCARD)
        return str(created[0]["args"]["proxy"])

    def _deploy(self, name: str, *args: Any) -> Any:
        artifact = _artifact(name)
        factory = self.w3.eth.contract(abi=artifact["abi"], bytecode=artifact["bytecode"])
        receipt = self._transact(factory.constructor(*args))
        return self.w3.eth.contract(address=receipt["contractAddress"], abi=artifact["abi"])

    def _transact(self, call: Any) -> Any:
        tx_hash = call.transact({"from": self.deployer, "gas": 8_000_000})
        receipt = self.w3.eth.wait_for_transaction_receipt(tx_hash)
        if receipt["status"] != 1:
            raise AssertionError(f"deployment step reverted: {receipt}")
        return receipt

    # ---- what the tests look at -----------------------------------------------------

    def balance(self, address: str) -> int:
        return int(self.token.functions.balanceOf(address).call())

    def nonce(self) -> int:
        return int(self.safe.functions.nonce().call())

    def owners(self) -> list[str]:
        return [str(o) for o in self.safe.functions.getOwners().call()]

    def broadcast(self, calldata: str, *, sender: str | None = None) -> bool:
        """Send the desk's ``execTransaction`` calldata to the Safe; True if it succeeded.

        A revert (``GS0xx`` from the contract) is False; nothing else is swallowed.
        """
        from eth_tester.exceptions import TransactionFailed
        from web3.exceptions import ContractLogicError

        # a fixed gas limit: eth-tester's estimate_gas mis-executes the Safe's signature
        # check; the limit is ample for a token transfer through the proxy
        tx = {"from": sender or self.relayer, "to": self.safe_address, "data": calldata}
        tx["gas"] = 1_000_000  # type: ignore[assignment]
        try:
            tx_hash = self.w3.eth.send_transaction(tx)  # type: ignore[arg-type]
        except (ContractLogicError, TransactionFailed):
            return False
        receipt = self.w3.eth.wait_for_transaction_receipt(tx_hash)
        return bool(receipt["status"] == 1)

    def eth_call(self, calldata: str) -> bytes:
        return bytes(
            self.w3.eth.call({"from": self.relayer, "to": self.safe_address, "data": calldata})  # type: ignore[typeddict-item]
        )

    # ---- JSON-RPC over HTTP ---------------------------------------------------------

    def serve(self) -> str:
        """Serve the chain as JSON-RPC on 127.0.0.1; returns the URL."""
        w3 = self.w3
        lock = threading.Lock()

        def answer_for(method: str, params: list[Any]) -> Any:
            # the read-only methods the desk uses, answered as a node answers them
            if method == "eth_chainId":
                return hex(w3.eth.chain_id)
            if method == "eth_call":
                call = {"to": params[0]["to"], "data": params[0]["data"]}
                return "0x" + bytes(w3.eth.call(call)).hex()  # type: ignore[arg-type]
            raise ValueError(f"method {method} not served")

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                answer: dict[str, Any] = {"jsonrpc": "2.0", "id": body.get("id")}
                try:
                    with lock:
                        answer["result"] = answer_for(body["method"], body.get("params", []))
                except Exception as exc:  # a node answers errors in the JSON-RPC body
                    answer["error"] = {"code": -32000, "message": str(exc)}
                data = json.dumps(answer).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *_args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def close(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
