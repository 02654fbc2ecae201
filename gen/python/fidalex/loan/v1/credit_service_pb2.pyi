from buf.validate import validate_pb2 as _validate_pb2
from fidalex.loan.v1 import credit_pb2 as _credit_pb2
from google.api import annotations_pb2 as _annotations_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class GetCreditScoreRequest(_message.Message):
    __slots__ = ("customer_id",)
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    customer_id: int
    def __init__(self, customer_id: _Optional[int] = ...) -> None: ...

class GetCreditScoreResponse(_message.Message):
    __slots__ = ("credit_score",)
    CREDIT_SCORE_FIELD_NUMBER: _ClassVar[int]
    credit_score: _credit_pb2.CreditScore
    def __init__(self, credit_score: _Optional[_Union[_credit_pb2.CreditScore, _Mapping]] = ...) -> None: ...

class GetCreditReportRequest(_message.Message):
    __slots__ = ("customer_id", "report_source")
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    REPORT_SOURCE_FIELD_NUMBER: _ClassVar[int]
    customer_id: int
    report_source: str
    def __init__(self, customer_id: _Optional[int] = ..., report_source: _Optional[str] = ...) -> None: ...

class GetCreditReportResponse(_message.Message):
    __slots__ = ("credit_report",)
    CREDIT_REPORT_FIELD_NUMBER: _ClassVar[int]
    credit_report: _credit_pb2.CreditReport
    def __init__(self, credit_report: _Optional[_Union[_credit_pb2.CreditReport, _Mapping]] = ...) -> None: ...
