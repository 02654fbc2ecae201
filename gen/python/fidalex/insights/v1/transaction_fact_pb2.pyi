from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Optional as _Optional

DESCRIPTOR: _descriptor.FileDescriptor

class TransactionFact(_message.Message):
    __slots__ = ("transaction_id", "account_id", "branch_id", "date", "amount", "currency", "transaction_type", "status")
    TRANSACTION_ID_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    BRANCH_ID_FIELD_NUMBER: _ClassVar[int]
    DATE_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    TRANSACTION_TYPE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    transaction_id: int
    account_id: int
    branch_id: int
    date: str
    amount: str
    currency: str
    transaction_type: str
    status: str
    def __init__(self, transaction_id: _Optional[int] = ..., account_id: _Optional[int] = ..., branch_id: _Optional[int] = ..., date: _Optional[str] = ..., amount: _Optional[str] = ..., currency: _Optional[str] = ..., transaction_type: _Optional[str] = ..., status: _Optional[str] = ...) -> None: ...
