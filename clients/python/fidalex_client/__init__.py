"""An example client of the Fidalex Bank mesh over gRPC, on the generated package gen/python."""

from fidalex_client.client import (
    Client,
    InvalidRequest,
    bad_request,
    default_target,
    error_info,
    validate,
)

__all__ = ["Client", "InvalidRequest", "bad_request", "default_target", "error_info", "validate"]
