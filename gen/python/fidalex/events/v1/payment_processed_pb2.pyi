import datetime

from fidalex.payment.v1 import payment_pb2 as _payment_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class PaymentProcessed(_message.Message):
    __slots__ = ("event_id", "event_time", "payment_id", "account_id", "amount", "currency", "timestamp", "status", "payment_method")
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    EVENT_TIME_FIELD_NUMBER: _ClassVar[int]
    PAYMENT_ID_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    TIMESTAMP_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    PAYMENT_METHOD_FIELD_NUMBER: _ClassVar[int]
    event_id: str
    event_time: _timestamp_pb2.Timestamp
    payment_id: int
    account_id: int
    amount: str
    currency: str
    timestamp: _timestamp_pb2.Timestamp
    status: _payment_pb2.PaymentStatus
    payment_method: _payment_pb2.PaymentMethod
    def __init__(self, event_id: _Optional[str] = ..., event_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., payment_id: _Optional[int] = ..., account_id: _Optional[int] = ..., amount: _Optional[str] = ..., currency: _Optional[str] = ..., timestamp: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., status: _Optional[_Union[_payment_pb2.PaymentStatus, str]] = ..., payment_method: _Optional[_Union[_payment_pb2.PaymentMethod, str]] = ...) -> None: ...
