"""The tests run against the live mesh (npm start, or .ci/run once the stack is up), through
Envoy at default_target()."""

from __future__ import annotations

import grpc
import pytest
from grpc_health.v1 import health_pb2

from fidalex_client import Client, default_target


@pytest.fixture(scope="session")
def target() -> str:
    """Envoy's address, once the mesh answers there."""
    address = default_target()
    with Client(address) as client:
        try:
            status = client.health.Check(health_pb2.HealthCheckRequest(), timeout=10).status
        except grpc.RpcError as error:
            pytest.fail(f"the mesh does not answer at {address} (start it: npm start): {error}")
    assert status == health_pb2.HealthCheckResponse.SERVING
    return address
