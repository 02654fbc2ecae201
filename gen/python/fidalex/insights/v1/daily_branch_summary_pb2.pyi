from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Optional as _Optional

DESCRIPTOR: _descriptor.FileDescriptor

class DailyBranchSummary(_message.Message):
    __slots__ = ("date", "branch_id", "branch_name", "region", "currency", "total_transactions", "total_volume", "total_success_volume")
    DATE_FIELD_NUMBER: _ClassVar[int]
    BRANCH_ID_FIELD_NUMBER: _ClassVar[int]
    BRANCH_NAME_FIELD_NUMBER: _ClassVar[int]
    REGION_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    TOTAL_TRANSACTIONS_FIELD_NUMBER: _ClassVar[int]
    TOTAL_VOLUME_FIELD_NUMBER: _ClassVar[int]
    TOTAL_SUCCESS_VOLUME_FIELD_NUMBER: _ClassVar[int]
    date: str
    branch_id: int
    branch_name: str
    region: str
    currency: str
    total_transactions: int
    total_volume: str
    total_success_volume: str
    def __init__(self, date: _Optional[str] = ..., branch_id: _Optional[int] = ..., branch_name: _Optional[str] = ..., region: _Optional[str] = ..., currency: _Optional[str] = ..., total_transactions: _Optional[int] = ..., total_volume: _Optional[str] = ..., total_success_volume: _Optional[str] = ...) -> None: ...
