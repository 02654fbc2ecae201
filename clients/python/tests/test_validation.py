"""The contracts' validation rules reach the client: protovalidate refuses an invalid request
before it is sent, with the message and field the server gives for the same request."""

from __future__ import annotations

from collections.abc import Iterator

import grpc
import pytest
from fidalex.account.v1 import customer_pb2, customer_service_pb2
from fidalex.transaction.v1 import transaction_service_pb2
from google.protobuf.message import Message

from fidalex_client import Client, InvalidRequest, bad_request, validate
from fidalex_client.walkthrough import admin_from_env

AMOUNT_RULE = (
    "must be a positive amount: a decimal string with up to 16 integer and 2 fraction digits,"
    ' e.g. "125.50"'
)

# Nothing listens here: a request that got past the local check would fail with UNAVAILABLE.
NOWHERE = "127.0.0.1:9"


def transfer(amount: str) -> transaction_service_pb2.TransferRequest:
    return transaction_service_pb2.TransferRequest(
        from_account_id=1, to_account_id=2, amount=amount, currency="USD", idempotency_key="k-1"
    )


def test_an_invalid_amount_is_refused_locally() -> None:
    with Client(NOWHERE) as client, pytest.raises(InvalidRequest) as refused:
        client.transactions.Transfer(transfer("12.345"), timeout=5)
    assert refused.value.violations == [("amount", AMOUNT_RULE)]
    assert str(refused.value) == f"amount: {AMOUNT_RULE}"


def test_a_valid_request_passes() -> None:
    validate(transfer("12.34"))


# Requests with one broken rule each, as refused by the services' validator: a predefined rule of
# fidalex.type.v1, a nested field, an item of a repeated field.
INVALID = {
    "amount": transfer("12.345"),
    "nested field": customer_service_pb2.CreateCustomerRequest(
        first_name="Ada",
        last_name="Lovelace",
        date_of_birth="1990-12-10",
        address=customer_pb2.Address(line1="1 Analytical Way", city="London", country="gb"),
    ),
    "repeated item": customer_service_pb2.VerifyCustomerKycRequest(
        customer_id=1, decision=customer_pb2.KYC_STATUS_VERIFIED, comment="ok", documents=[""]
    ),
}


def send(client: Client, request: Message) -> None:
    if isinstance(request, transaction_service_pb2.TransferRequest):
        client.transactions.Transfer(request, timeout=10)
    elif isinstance(request, customer_service_pb2.CreateCustomerRequest):
        client.customers.CreateCustomer(request, timeout=10)
    elif isinstance(request, customer_service_pb2.VerifyCustomerKycRequest):
        client.customers.VerifyCustomerKyc(request, timeout=10)


@pytest.fixture(scope="module")
def unchecked(target: str) -> Iterator[Client]:
    """The administrator, signed in, with the local check turned off."""
    with Client(target, validate_requests=False) as client:
        credentials = admin_from_env()
        client.login(credentials.username, credentials.password)
        yield client


@pytest.mark.parametrize("request_", INVALID.values(), ids=INVALID.keys())
def test_the_local_refusal_matches_the_servers(unchecked: Client, request_: Message) -> None:
    with pytest.raises(InvalidRequest) as local:
        validate(request_)

    with pytest.raises(grpc.RpcError) as remote:
        send(unchecked, request_)
    assert remote.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert remote.value.details() == str(local.value)
    details = bad_request(remote.value)
    assert details is not None
    assert [(v.field, v.description) for v in details.field_violations] == local.value.violations
