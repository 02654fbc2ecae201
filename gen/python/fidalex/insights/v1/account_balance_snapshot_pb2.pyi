from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Optional as _Optional

DESCRIPTOR: _descriptor.FileDescriptor

class AccountBalanceSnapshot(_message.Message):
    __slots__ = ("snapshot_id", "account_id", "customer_id", "account_type", "date", "balance", "currency")
    SNAPSHOT_ID_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_TYPE_FIELD_NUMBER: _ClassVar[int]
    DATE_FIELD_NUMBER: _ClassVar[int]
    BALANCE_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    snapshot_id: int
    account_id: int
    customer_id: int
    account_type: str
    date: str
    balance: str
    currency: str
    def __init__(self, snapshot_id: _Optional[int] = ..., account_id: _Optional[int] = ..., customer_id: _Optional[int] = ..., account_type: _Optional[str] = ..., date: _Optional[str] = ..., balance: _Optional[str] = ..., currency: _Optional[str] = ...) -> None: ...

class AccountBalanceTotal(_message.Message):
    __slots__ = ("currency", "account_count", "total_balance")
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_COUNT_FIELD_NUMBER: _ClassVar[int]
    TOTAL_BALANCE_FIELD_NUMBER: _ClassVar[int]
    currency: str
    account_count: int
    total_balance: str
    def __init__(self, currency: _Optional[str] = ..., account_count: _Optional[int] = ..., total_balance: _Optional[str] = ...) -> None: ...
