import datetime

from fidalex.payment.v1 import payment_pb2 as _payment_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class PaymentFrequency(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    PAYMENT_FREQUENCY_UNSPECIFIED: _ClassVar[PaymentFrequency]
    PAYMENT_FREQUENCY_DAILY: _ClassVar[PaymentFrequency]
    PAYMENT_FREQUENCY_WEEKLY: _ClassVar[PaymentFrequency]
    PAYMENT_FREQUENCY_MONTHLY: _ClassVar[PaymentFrequency]
    PAYMENT_FREQUENCY_YEARLY: _ClassVar[PaymentFrequency]
PAYMENT_FREQUENCY_UNSPECIFIED: PaymentFrequency
PAYMENT_FREQUENCY_DAILY: PaymentFrequency
PAYMENT_FREQUENCY_WEEKLY: PaymentFrequency
PAYMENT_FREQUENCY_MONTHLY: PaymentFrequency
PAYMENT_FREQUENCY_YEARLY: PaymentFrequency

class ScheduledPayment(_message.Message):
    __slots__ = ("schedule_id", "account_id", "amount", "currency", "frequency", "next_run_date", "end_date", "is_active", "payment_method", "beneficiary", "created_at", "updated_at")
    SCHEDULE_ID_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    FREQUENCY_FIELD_NUMBER: _ClassVar[int]
    NEXT_RUN_DATE_FIELD_NUMBER: _ClassVar[int]
    END_DATE_FIELD_NUMBER: _ClassVar[int]
    IS_ACTIVE_FIELD_NUMBER: _ClassVar[int]
    PAYMENT_METHOD_FIELD_NUMBER: _ClassVar[int]
    BENEFICIARY_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    schedule_id: int
    account_id: int
    amount: str
    currency: str
    frequency: PaymentFrequency
    next_run_date: str
    end_date: str
    is_active: bool
    payment_method: _payment_pb2.PaymentMethod
    beneficiary: _payment_pb2.Beneficiary
    created_at: _timestamp_pb2.Timestamp
    updated_at: _timestamp_pb2.Timestamp
    def __init__(self, schedule_id: _Optional[int] = ..., account_id: _Optional[int] = ..., amount: _Optional[str] = ..., currency: _Optional[str] = ..., frequency: _Optional[_Union[PaymentFrequency, str]] = ..., next_run_date: _Optional[str] = ..., end_date: _Optional[str] = ..., is_active: _Optional[bool] = ..., payment_method: _Optional[_Union[_payment_pb2.PaymentMethod, str]] = ..., beneficiary: _Optional[_Union[_payment_pb2.Beneficiary, _Mapping]] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...
