import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class LoanDisbursementStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    LOAN_DISBURSEMENT_STATUS_UNSPECIFIED: _ClassVar[LoanDisbursementStatus]
    LOAN_DISBURSEMENT_STATUS_PENDING: _ClassVar[LoanDisbursementStatus]
    LOAN_DISBURSEMENT_STATUS_DISBURSED: _ClassVar[LoanDisbursementStatus]
    LOAN_DISBURSEMENT_STATUS_FAILED: _ClassVar[LoanDisbursementStatus]

class LoanStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    LOAN_STATUS_UNSPECIFIED: _ClassVar[LoanStatus]
    LOAN_STATUS_ACTIVE: _ClassVar[LoanStatus]
    LOAN_STATUS_CLOSED: _ClassVar[LoanStatus]
    LOAN_STATUS_DEFAULTED: _ClassVar[LoanStatus]

class LoanInstallmentStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    LOAN_INSTALLMENT_STATUS_UNSPECIFIED: _ClassVar[LoanInstallmentStatus]
    LOAN_INSTALLMENT_STATUS_DUE: _ClassVar[LoanInstallmentStatus]
    LOAN_INSTALLMENT_STATUS_PAID: _ClassVar[LoanInstallmentStatus]
    LOAN_INSTALLMENT_STATUS_LATE: _ClassVar[LoanInstallmentStatus]
    LOAN_INSTALLMENT_STATUS_DEFAULTED: _ClassVar[LoanInstallmentStatus]
LOAN_DISBURSEMENT_STATUS_UNSPECIFIED: LoanDisbursementStatus
LOAN_DISBURSEMENT_STATUS_PENDING: LoanDisbursementStatus
LOAN_DISBURSEMENT_STATUS_DISBURSED: LoanDisbursementStatus
LOAN_DISBURSEMENT_STATUS_FAILED: LoanDisbursementStatus
LOAN_STATUS_UNSPECIFIED: LoanStatus
LOAN_STATUS_ACTIVE: LoanStatus
LOAN_STATUS_CLOSED: LoanStatus
LOAN_STATUS_DEFAULTED: LoanStatus
LOAN_INSTALLMENT_STATUS_UNSPECIFIED: LoanInstallmentStatus
LOAN_INSTALLMENT_STATUS_DUE: LoanInstallmentStatus
LOAN_INSTALLMENT_STATUS_PAID: LoanInstallmentStatus
LOAN_INSTALLMENT_STATUS_LATE: LoanInstallmentStatus
LOAN_INSTALLMENT_STATUS_DEFAULTED: LoanInstallmentStatus

class Loan(_message.Message):
    __slots__ = ("loan_id", "application_id", "customer_id", "principal_amount", "outstanding_balance", "interest_rate", "currency", "start_date", "end_date", "status", "disbursement_account_id", "created_at", "updated_at", "disbursement_status", "disbursement_transaction_id")
    LOAN_ID_FIELD_NUMBER: _ClassVar[int]
    APPLICATION_ID_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    PRINCIPAL_AMOUNT_FIELD_NUMBER: _ClassVar[int]
    OUTSTANDING_BALANCE_FIELD_NUMBER: _ClassVar[int]
    INTEREST_RATE_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    START_DATE_FIELD_NUMBER: _ClassVar[int]
    END_DATE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    DISBURSEMENT_ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    DISBURSEMENT_STATUS_FIELD_NUMBER: _ClassVar[int]
    DISBURSEMENT_TRANSACTION_ID_FIELD_NUMBER: _ClassVar[int]
    loan_id: int
    application_id: int
    customer_id: int
    principal_amount: str
    outstanding_balance: str
    interest_rate: str
    currency: str
    start_date: str
    end_date: str
    status: LoanStatus
    disbursement_account_id: int
    created_at: _timestamp_pb2.Timestamp
    updated_at: _timestamp_pb2.Timestamp
    disbursement_status: LoanDisbursementStatus
    disbursement_transaction_id: int
    def __init__(self, loan_id: _Optional[int] = ..., application_id: _Optional[int] = ..., customer_id: _Optional[int] = ..., principal_amount: _Optional[str] = ..., outstanding_balance: _Optional[str] = ..., interest_rate: _Optional[str] = ..., currency: _Optional[str] = ..., start_date: _Optional[str] = ..., end_date: _Optional[str] = ..., status: _Optional[_Union[LoanStatus, str]] = ..., disbursement_account_id: _Optional[int] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., disbursement_status: _Optional[_Union[LoanDisbursementStatus, str]] = ..., disbursement_transaction_id: _Optional[int] = ...) -> None: ...

class LoanInstallment(_message.Message):
    __slots__ = ("payment_id", "loan_id", "due_date", "payment_amount", "paid_amount", "paid_date", "status")
    PAYMENT_ID_FIELD_NUMBER: _ClassVar[int]
    LOAN_ID_FIELD_NUMBER: _ClassVar[int]
    DUE_DATE_FIELD_NUMBER: _ClassVar[int]
    PAYMENT_AMOUNT_FIELD_NUMBER: _ClassVar[int]
    PAID_AMOUNT_FIELD_NUMBER: _ClassVar[int]
    PAID_DATE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    payment_id: int
    loan_id: int
    due_date: str
    payment_amount: str
    paid_amount: str
    paid_date: str
    status: LoanInstallmentStatus
    def __init__(self, payment_id: _Optional[int] = ..., loan_id: _Optional[int] = ..., due_date: _Optional[str] = ..., payment_amount: _Optional[str] = ..., paid_amount: _Optional[str] = ..., paid_date: _Optional[str] = ..., status: _Optional[_Union[LoanInstallmentStatus, str]] = ...) -> None: ...
