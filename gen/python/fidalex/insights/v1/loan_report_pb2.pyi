from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Optional as _Optional

DESCRIPTOR: _descriptor.FileDescriptor

class LoanReport(_message.Message):
    __slots__ = ("currency", "disbursed_count", "disbursed_amount", "repayment_count", "repayment_amount", "approved_count", "rejected_count", "outstanding_loan_count", "outstanding_balance")
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    DISBURSED_COUNT_FIELD_NUMBER: _ClassVar[int]
    DISBURSED_AMOUNT_FIELD_NUMBER: _ClassVar[int]
    REPAYMENT_COUNT_FIELD_NUMBER: _ClassVar[int]
    REPAYMENT_AMOUNT_FIELD_NUMBER: _ClassVar[int]
    APPROVED_COUNT_FIELD_NUMBER: _ClassVar[int]
    REJECTED_COUNT_FIELD_NUMBER: _ClassVar[int]
    OUTSTANDING_LOAN_COUNT_FIELD_NUMBER: _ClassVar[int]
    OUTSTANDING_BALANCE_FIELD_NUMBER: _ClassVar[int]
    currency: str
    disbursed_count: int
    disbursed_amount: str
    repayment_count: int
    repayment_amount: str
    approved_count: int
    rejected_count: int
    outstanding_loan_count: int
    outstanding_balance: str
    def __init__(self, currency: _Optional[str] = ..., disbursed_count: _Optional[int] = ..., disbursed_amount: _Optional[str] = ..., repayment_count: _Optional[int] = ..., repayment_amount: _Optional[str] = ..., approved_count: _Optional[int] = ..., rejected_count: _Optional[int] = ..., outstanding_loan_count: _Optional[int] = ..., outstanding_balance: _Optional[str] = ...) -> None: ...
