"""A client of the Fidalex Bank mesh over gRPC, through its Envoy edge.

A :class:`Client` holds one channel and the signed-in user's tokens. Every request is checked
against the validation rules of the contracts (protovalidate) before it is sent, and every call
carries the access token as ``authorization: Bearer ...`` metadata once :meth:`Client.login` has
succeeded. Errors are :class:`grpc.RpcError`; :func:`error_info` reads the
``google.rpc.ErrorInfo`` whose reason (e.g. ``INSUFFICIENT_FUNDS``) a caller branches on.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any, NamedTuple, TypeVar

import grpc
import protovalidate
from fidalex.account.v1 import account_service_pb2_grpc, customer_service_pb2_grpc
from fidalex.auth.v1 import auth_service_pb2, auth_service_pb2_grpc, token_pb2
from fidalex.transaction.v1 import transaction_service_pb2_grpc
from google.protobuf.message import Message
from google.rpc import error_details_pb2
from grpc_health.v1 import health_pb2_grpc
from grpc_status import rpc_status


def default_target() -> str:
    """Envoy of the local stack: FIDALEX_HOST and FIDALEX_ENVOY_PORT as stack/env.sh sets them."""
    host = os.environ.get("FIDALEX_HOST") or "127.0.0.1"
    port = os.environ.get("FIDALEX_ENVOY_PORT") or "18080"
    return f"{host}:{port}"


class InvalidRequest(ValueError):
    """A request the contract's validation rules refuse, found before it is sent.

    ``violations`` holds (field path, message) pairs, and the error's text joins them as the
    services do in their INVALID_ARGUMENT message: ``amount: must be a positive amount: ...``.
    """

    def __init__(self, violations: list[tuple[str, str]]) -> None:
        self.violations = violations
        super().__init__(
            "; ".join(f"{field}: {text}" if field else text for field, text in violations)
        )


def validate(request: Message) -> None:
    """Raises :class:`InvalidRequest` when ``request`` breaks the rules in its contract."""
    violations = protovalidate.collect_violations(request)
    if violations:
        raise InvalidRequest(
            [(_field_path(v.proto.field), v.proto.message or "") for v in violations]
        )


def _field_path(path: Any) -> str:
    """``address.line1``, ``documents[0]``, ``labels["k"]``: a buf.validate.FieldPath as text."""
    text = ""
    for element in path.elements if path is not None else []:
        text += ("." if text else "") + element.field_name
        if element.subscript is not None:
            key = element.subscript.value
            text += f'["{key}"]' if isinstance(key, str) else f"[{str(key).lower()}]"
    return text


def error_info(error: grpc.RpcError) -> error_details_pb2.ErrorInfo | None:
    """The google.rpc.ErrorInfo in a gRPC error's status details, or None."""
    return _detail(error, error_details_pb2.ErrorInfo)


def bad_request(error: grpc.RpcError) -> error_details_pb2.BadRequest | None:
    """The google.rpc.BadRequest (the offending fields) of an INVALID_ARGUMENT error, or None."""
    return _detail(error, error_details_pb2.BadRequest)


D = TypeVar("D", bound=Message)


def _detail(error: grpc.RpcError, kind: type[D]) -> D | None:
    status = rpc_status.from_call(error) if isinstance(error, grpc.Call) else None
    if status is None:
        return None
    for any_detail in status.details:
        detail = kind()
        if any_detail.Unpack(detail):
            return detail
    return None


class Client:
    """Calls the mesh at ``target`` (Envoy's host:port) as one user, over plaintext HTTP/2."""

    def __init__(self, target: str | None = None, *, validate_requests: bool = True) -> None:
        self._tokens: token_pb2.AuthTokens | None = None
        interceptor = _Interceptor(self._authorization, validate_requests)
        self._channel = grpc.intercept_channel(
            grpc.insecure_channel(target or default_target()), interceptor
        )
        self.auth = auth_service_pb2_grpc.AuthServiceStub(self._channel)
        self.customers = customer_service_pb2_grpc.CustomerServiceStub(self._channel)
        self.accounts = account_service_pb2_grpc.AccountServiceStub(self._channel)
        self.transactions = transaction_service_pb2_grpc.TransactionServiceStub(self._channel)
        self.health = health_pb2_grpc.HealthStub(self._channel)

    def login(self, username: str, password: str) -> token_pb2.AuthTokens:
        """Signs the user in (a public RPC); later calls carry the access token."""
        res = self.auth.Login(auth_service_pb2.LoginRequest(username=username, password=password))
        self._tokens = res.tokens
        return res.tokens

    def refresh(self) -> token_pb2.AuthTokens:
        """New tokens for the refresh token, e.g. so that they carry a new customer link."""
        if self._tokens is None:
            raise RuntimeError("not signed in")
        req = auth_service_pb2.RefreshTokenRequest(refresh_token=self._tokens.refresh_token)
        self._tokens = self.auth.RefreshToken(req).tokens
        return self._tokens

    def close(self) -> None:
        self._channel.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def _authorization(self) -> list[tuple[str, str]]:
        return [("authorization", f"Bearer {self._tokens.access_token}")] if self._tokens else []


class _CallDetails(NamedTuple):
    method: str
    timeout: float | None
    metadata: list[tuple[str, str | bytes]] | None
    credentials: grpc.CallCredentials | None
    wait_for_ready: bool | None
    compression: grpc.Compression | None


class _Interceptor(grpc.UnaryUnaryClientInterceptor):
    """Validates each request, then adds the caller's authorization metadata."""

    def __init__(self, authorization: Callable[[], list[tuple[str, str]]], check: bool) -> None:
        self._authorization = authorization
        self._check = check

    def intercept_unary_unary(self, continuation: Any, details: Any, request: Any) -> Any:
        if self._check:
            validate(request)
        metadata = [*(details.metadata or []), *self._authorization()]
        return continuation(
            _CallDetails(
                details.method,
                details.timeout,
                metadata,
                details.credentials,
                details.wait_for_ready,
                details.compression,
            ),
            request,
        )
