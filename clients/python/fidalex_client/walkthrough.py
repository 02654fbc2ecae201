"""The README's banking flow over gRPC through Envoy, as a new customer sees it.

Run it against the running mesh (``npm start``): ``python -m fidalex_client.walkthrough``.
FIDALEX_HOST, FIDALEX_ENVOY_PORT and BOOTSTRAP_ADMIN_* are read as stack/env.sh sets them.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass

import grpc
from fidalex.account.v1 import (
    account_pb2,
    account_service_pb2,
    customer_pb2,
    customer_service_pb2,
)
from fidalex.auth.v1 import auth_service_pb2
from fidalex.transaction.v1 import transaction_pb2, transaction_service_pb2

from fidalex_client.client import Client, default_target, error_info

DEPOSIT_AMOUNT = "500.00"
TRANSFER_AMOUNT = "125.50"
OVERDRAW_AMOUNT = "99999.00"


@dataclass(frozen=True)
class Credentials:
    username: str
    password: str


def admin_from_env() -> Credentials:
    """The stack's bootstrap administrator, who acts as staff and teller here."""
    return Credentials(
        os.environ.get("BOOTSTRAP_ADMIN_USERNAME") or "admin",
        os.environ.get("BOOTSTRAP_ADMIN_PASSWORD") or "Dev-Only-Root-Key-2026",
    )


def onboard(target: str, staff: Client, username: str, password: str) -> tuple[Client, int]:
    """Makes a KYC-verified customer of a new user, as the README does: register and sign in,
    create the customer record, staff verify the KYC, then refresh so the tokens carry the link.
    Returns the user's client and customer id."""
    user = Client(target)
    try:
        return user, _onboard(user, staff, username, password)
    except BaseException:
        user.close()
        raise


def _onboard(user: Client, staff: Client, username: str, password: str) -> int:
    user.auth.Register(
        auth_service_pb2.RegisterRequest(
            username=username,
            email=f"{username}@example.com",
            password=password,
            full_name="Ada Lovelace",
        )
    )
    user.login(username, password)
    created = user.customers.CreateCustomer(
        customer_service_pb2.CreateCustomerRequest(
            first_name="Ada",
            last_name="Lovelace",
            date_of_birth="1990-12-10",
            address=customer_pb2.Address(line1="1 Analytical Way", city="London", country="GB"),
        )
    )
    customer_id = created.customer.customer_id
    staff.customers.VerifyCustomerKyc(
        customer_service_pb2.VerifyCustomerKycRequest(
            customer_id=customer_id,
            decision=customer_pb2.KYC_STATUS_VERIFIED,
            comment="passport checked",
            documents=["passport"],
        )
    )
    user.refresh()
    return customer_id


@dataclass
class Walkthrough:
    customer_id: int
    # The customer's two accounts: the teller deposits into the first, which pays the second.
    account_ids: list[int]
    deposit: transaction_pb2.Transaction
    # The transfer, and the answer to the same request sent again with the same idempotency key.
    transfer: transaction_pb2.Transaction
    replay: transaction_pb2.Transaction
    # The balances of both accounts after the transfer.
    balances: list[account_pb2.AccountBalance]
    # The first account's history, newest first.
    history: list[transaction_pb2.Transaction]
    # A transfer of more than the balance: FAILED_PRECONDITION, reason INSUFFICIENT_FUNDS.
    refused: grpc.RpcError


def run(target: str, admin: Credentials, username: str) -> Walkthrough:
    """Runs the banking flow as a new user named ``username``."""
    with Client(target) as staff:
        staff.login(admin.username, admin.password)
        user, customer_id = onboard(target, staff, username, "Correct-Horse-Battery-9")
        with user:
            account_ids = [
                user.accounts.OpenAccount(
                    account_service_pb2.OpenAccountRequest(
                        customer_id=customer_id,
                        account_type=account_pb2.ACCOUNT_TYPE_CHECKING,
                        currency="USD",
                        branch_id=1,
                    )
                ).account.account_id
                for _ in range(2)
            ]
            first, second = account_ids
            deposit = staff.transactions.Deposit(
                transaction_service_pb2.DepositRequest(
                    account_id=first,
                    amount=DEPOSIT_AMOUNT,
                    currency="USD",
                    idempotency_key=f"dep-{first}",
                )
            ).transaction
            transfer = transaction_service_pb2.TransferRequest(
                from_account_id=first,
                to_account_id=second,
                amount=TRANSFER_AMOUNT,
                currency="USD",
                description="rent",
                idempotency_key=f"rent-{first}",
            )
            sent, replay = (user.transactions.Transfer(transfer).transaction for _ in range(2))
            balances = [
                user.accounts.GetAccountBalance(
                    account_service_pb2.GetAccountBalanceRequest(account_id=account_id)
                ).account_balance
                for account_id in account_ids
            ]
            history = user.transactions.ListAccountTransactions(
                transaction_service_pb2.ListAccountTransactionsRequest(
                    account_id=first, page_size=10
                )
            ).transactions
            try:
                user.transactions.Transfer(
                    transaction_service_pb2.TransferRequest(
                        from_account_id=first,
                        to_account_id=second,
                        amount=OVERDRAW_AMOUNT,
                        currency="USD",
                        idempotency_key=f"big-{first}",
                    )
                )
            except grpc.RpcError as error:
                refused = error
            else:
                raise AssertionError(f"a transfer of {OVERDRAW_AMOUNT} USD went through")
    return Walkthrough(
        customer_id, account_ids, deposit, sent, replay, balances, list(history), refused
    )


def main() -> None:
    username = f"pywalk{time.time_ns()}"
    w = run(default_target(), admin_from_env(), username)
    first, second = w.account_ids
    print(f"customer {w.customer_id} ({username}), accounts {first} and {second}")
    for label, tx in (("deposit", w.deposit), ("transfer", w.transfer), ("replay", w.replay)):
        status = transaction_pb2.TransactionStatus.Name(tx.status)
        print(f"{label + ':':9} transaction {tx.transaction_id}, {tx.amount} {status}")
    for balance in w.balances:
        print(f"balance of {balance.account_id}: {balance.balance} {balance.currency}")
    for tx in w.history:
        kind = transaction_pb2.TransactionType.Name(tx.transaction_type)
        print(f"history of {first}: {tx.transaction_id} {kind} {tx.amount}")
    info = error_info(w.refused)
    reason = info.reason if info else None
    print(f"a transfer of {OVERDRAW_AMOUNT}: {w.refused.code().name}, reason {reason}")


if __name__ == "__main__":
    main()
