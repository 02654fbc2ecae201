import datetime

from fidalex.loan.v1 import loan_application_pb2 as _loan_application_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class LoanDecided(_message.Message):
    __slots__ = ("event_id", "event_time", "application_id", "customer_id", "status", "decision_score", "timestamp", "decision", "decision_by", "loan_id", "currency", "amount", "disbursement_account_id")
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    EVENT_TIME_FIELD_NUMBER: _ClassVar[int]
    APPLICATION_ID_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    DECISION_SCORE_FIELD_NUMBER: _ClassVar[int]
    TIMESTAMP_FIELD_NUMBER: _ClassVar[int]
    DECISION_FIELD_NUMBER: _ClassVar[int]
    DECISION_BY_FIELD_NUMBER: _ClassVar[int]
    LOAN_ID_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    DISBURSEMENT_ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    event_id: str
    event_time: _timestamp_pb2.Timestamp
    application_id: int
    customer_id: int
    status: _loan_application_pb2.LoanApplicationStatus
    decision_score: str
    timestamp: _timestamp_pb2.Timestamp
    decision: _loan_application_pb2.LoanDecisionOutcome
    decision_by: str
    loan_id: int
    currency: str
    amount: str
    disbursement_account_id: int
    def __init__(self, event_id: _Optional[str] = ..., event_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., application_id: _Optional[int] = ..., customer_id: _Optional[int] = ..., status: _Optional[_Union[_loan_application_pb2.LoanApplicationStatus, str]] = ..., decision_score: _Optional[str] = ..., timestamp: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., decision: _Optional[_Union[_loan_application_pb2.LoanDecisionOutcome, str]] = ..., decision_by: _Optional[str] = ..., loan_id: _Optional[int] = ..., currency: _Optional[str] = ..., amount: _Optional[str] = ..., disbursement_account_id: _Optional[int] = ...) -> None: ...
