import datetime

from fidalex.transaction.v1 import transaction_pb2 as _transaction_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class TransactionCompleted(_message.Message):
    __slots__ = ("event_id", "event_time", "transaction_id", "account_id", "related_account_id", "transaction_type", "amount", "currency", "timestamp", "status")
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    EVENT_TIME_FIELD_NUMBER: _ClassVar[int]
    TRANSACTION_ID_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    RELATED_ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    TRANSACTION_TYPE_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    TIMESTAMP_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    event_id: str
    event_time: _timestamp_pb2.Timestamp
    transaction_id: int
    account_id: int
    related_account_id: int
    transaction_type: _transaction_pb2.TransactionType
    amount: str
    currency: str
    timestamp: _timestamp_pb2.Timestamp
    status: _transaction_pb2.TransactionStatus
    def __init__(self, event_id: _Optional[str] = ..., event_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., transaction_id: _Optional[int] = ..., account_id: _Optional[int] = ..., related_account_id: _Optional[int] = ..., transaction_type: _Optional[_Union[_transaction_pb2.TransactionType, str]] = ..., amount: _Optional[str] = ..., currency: _Optional[str] = ..., timestamp: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., status: _Optional[_Union[_transaction_pb2.TransactionStatus, str]] = ...) -> None: ...
