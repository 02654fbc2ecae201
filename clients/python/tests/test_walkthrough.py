"""The README's banking flow over gRPC, asserting what the customer sees."""

from __future__ import annotations

import time

import grpc
import pytest
from fidalex.transaction.v1 import transaction_pb2

from fidalex_client import error_info
from fidalex_client.walkthrough import Walkthrough, admin_from_env, run


@pytest.fixture(scope="module")
def walkthrough(target: str) -> Walkthrough:
    return run(target, admin_from_env(), f"pywalk{time.time_ns()}")


def test_the_deposit_and_the_transfer_succeed(walkthrough: Walkthrough) -> None:
    assert walkthrough.deposit.status == transaction_pb2.TRANSACTION_STATUS_SUCCESS
    assert walkthrough.deposit.amount == "500.00"
    assert walkthrough.transfer.status == transaction_pb2.TRANSACTION_STATUS_SUCCESS
    assert walkthrough.transfer.amount == "125.50"


def test_the_replay_returns_the_same_transaction(walkthrough: Walkthrough) -> None:
    assert walkthrough.replay.transaction_id == walkthrough.transfer.transaction_id
    assert walkthrough.replay.status == transaction_pb2.TRANSACTION_STATUS_SUCCESS


def test_the_balances_count_the_transfer_once(walkthrough: Walkthrough) -> None:
    seen = [(b.account_id, b.balance, b.currency) for b in walkthrough.balances]
    first, second = walkthrough.account_ids
    assert seen == [(first, "374.50", "USD"), (second, "125.50", "USD")]


def test_the_history_lists_the_transfer_then_the_deposit(walkthrough: Walkthrough) -> None:
    seen = [(tx.transaction_id, tx.transaction_type, tx.amount) for tx in walkthrough.history]
    assert seen == [
        (walkthrough.transfer.transaction_id, transaction_pb2.TRANSACTION_TYPE_TRANSFER, "125.50"),
        (walkthrough.deposit.transaction_id, transaction_pb2.TRANSACTION_TYPE_DEPOSIT, "500.00"),
    ]


def test_overdrawing_is_refused_with_reason_insufficient_funds(walkthrough: Walkthrough) -> None:
    assert walkthrough.refused.code() == grpc.StatusCode.FAILED_PRECONDITION
    info = error_info(walkthrough.refused)
    assert info is not None
    assert (info.reason, info.domain) == ("INSUFFICIENT_FUNDS", "fidalex.bank")
