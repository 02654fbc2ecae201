import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class LoanApplicationStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    LOAN_APPLICATION_STATUS_UNSPECIFIED: _ClassVar[LoanApplicationStatus]
    LOAN_APPLICATION_STATUS_SUBMITTED: _ClassVar[LoanApplicationStatus]
    LOAN_APPLICATION_STATUS_UNDER_REVIEW: _ClassVar[LoanApplicationStatus]
    LOAN_APPLICATION_STATUS_APPROVED: _ClassVar[LoanApplicationStatus]
    LOAN_APPLICATION_STATUS_REJECTED: _ClassVar[LoanApplicationStatus]

class LoanDecisionOutcome(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    LOAN_DECISION_OUTCOME_UNSPECIFIED: _ClassVar[LoanDecisionOutcome]
    LOAN_DECISION_OUTCOME_AUTO_APPROVED: _ClassVar[LoanDecisionOutcome]
    LOAN_DECISION_OUTCOME_AUTO_REJECTED: _ClassVar[LoanDecisionOutcome]
    LOAN_DECISION_OUTCOME_MANUAL_APPROVED: _ClassVar[LoanDecisionOutcome]
    LOAN_DECISION_OUTCOME_MANUAL_REJECTED: _ClassVar[LoanDecisionOutcome]
LOAN_APPLICATION_STATUS_UNSPECIFIED: LoanApplicationStatus
LOAN_APPLICATION_STATUS_SUBMITTED: LoanApplicationStatus
LOAN_APPLICATION_STATUS_UNDER_REVIEW: LoanApplicationStatus
LOAN_APPLICATION_STATUS_APPROVED: LoanApplicationStatus
LOAN_APPLICATION_STATUS_REJECTED: LoanApplicationStatus
LOAN_DECISION_OUTCOME_UNSPECIFIED: LoanDecisionOutcome
LOAN_DECISION_OUTCOME_AUTO_APPROVED: LoanDecisionOutcome
LOAN_DECISION_OUTCOME_AUTO_REJECTED: LoanDecisionOutcome
LOAN_DECISION_OUTCOME_MANUAL_APPROVED: LoanDecisionOutcome
LOAN_DECISION_OUTCOME_MANUAL_REJECTED: LoanDecisionOutcome

class LoanApplication(_message.Message):
    __slots__ = ("application_id", "customer_id", "amount_requested", "currency", "term_months", "purpose", "status", "submitted_at", "reviewed_at", "decision_by", "decision_score", "disbursement_account_id", "loan_id")
    APPLICATION_ID_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_REQUESTED_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    TERM_MONTHS_FIELD_NUMBER: _ClassVar[int]
    PURPOSE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    SUBMITTED_AT_FIELD_NUMBER: _ClassVar[int]
    REVIEWED_AT_FIELD_NUMBER: _ClassVar[int]
    DECISION_BY_FIELD_NUMBER: _ClassVar[int]
    DECISION_SCORE_FIELD_NUMBER: _ClassVar[int]
    DISBURSEMENT_ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    LOAN_ID_FIELD_NUMBER: _ClassVar[int]
    application_id: int
    customer_id: int
    amount_requested: str
    currency: str
    term_months: int
    purpose: str
    status: LoanApplicationStatus
    submitted_at: _timestamp_pb2.Timestamp
    reviewed_at: _timestamp_pb2.Timestamp
    decision_by: str
    decision_score: str
    disbursement_account_id: int
    loan_id: int
    def __init__(self, application_id: _Optional[int] = ..., customer_id: _Optional[int] = ..., amount_requested: _Optional[str] = ..., currency: _Optional[str] = ..., term_months: _Optional[int] = ..., purpose: _Optional[str] = ..., status: _Optional[_Union[LoanApplicationStatus, str]] = ..., submitted_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., reviewed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., decision_by: _Optional[str] = ..., decision_score: _Optional[str] = ..., disbursement_account_id: _Optional[int] = ..., loan_id: _Optional[int] = ...) -> None: ...

class LoanDecision(_message.Message):
    __slots__ = ("log_id", "application_id", "decision", "decision_by", "decision_score", "comments", "decision_ts")
    LOG_ID_FIELD_NUMBER: _ClassVar[int]
    APPLICATION_ID_FIELD_NUMBER: _ClassVar[int]
    DECISION_FIELD_NUMBER: _ClassVar[int]
    DECISION_BY_FIELD_NUMBER: _ClassVar[int]
    DECISION_SCORE_FIELD_NUMBER: _ClassVar[int]
    COMMENTS_FIELD_NUMBER: _ClassVar[int]
    DECISION_TS_FIELD_NUMBER: _ClassVar[int]
    log_id: int
    application_id: int
    decision: LoanDecisionOutcome
    decision_by: str
    decision_score: str
    comments: str
    decision_ts: _timestamp_pb2.Timestamp
    def __init__(self, log_id: _Optional[int] = ..., application_id: _Optional[int] = ..., decision: _Optional[_Union[LoanDecisionOutcome, str]] = ..., decision_by: _Optional[str] = ..., decision_score: _Optional[str] = ..., comments: _Optional[str] = ..., decision_ts: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...
