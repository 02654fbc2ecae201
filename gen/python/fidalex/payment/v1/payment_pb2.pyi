import datetime

from buf.validate import validate_pb2 as _validate_pb2
from google.protobuf import struct_pb2 as _struct_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class PaymentMethod(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    PAYMENT_METHOD_UNSPECIFIED: _ClassVar[PaymentMethod]
    PAYMENT_METHOD_ACH: _ClassVar[PaymentMethod]
    PAYMENT_METHOD_WIRE: _ClassVar[PaymentMethod]
    PAYMENT_METHOD_CARD: _ClassVar[PaymentMethod]
    PAYMENT_METHOD_EXTERNAL: _ClassVar[PaymentMethod]

class PaymentStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    PAYMENT_STATUS_UNSPECIFIED: _ClassVar[PaymentStatus]
    PAYMENT_STATUS_INITIATED: _ClassVar[PaymentStatus]
    PAYMENT_STATUS_PENDING: _ClassVar[PaymentStatus]
    PAYMENT_STATUS_COMPLETED: _ClassVar[PaymentStatus]
    PAYMENT_STATUS_FAILED: _ClassVar[PaymentStatus]
    PAYMENT_STATUS_REVERSED: _ClassVar[PaymentStatus]

class PaymentAttemptStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    PAYMENT_ATTEMPT_STATUS_UNSPECIFIED: _ClassVar[PaymentAttemptStatus]
    PAYMENT_ATTEMPT_STATUS_REQUESTED: _ClassVar[PaymentAttemptStatus]
    PAYMENT_ATTEMPT_STATUS_PROCESSING: _ClassVar[PaymentAttemptStatus]
    PAYMENT_ATTEMPT_STATUS_SUCCESS: _ClassVar[PaymentAttemptStatus]
    PAYMENT_ATTEMPT_STATUS_FAILED: _ClassVar[PaymentAttemptStatus]
PAYMENT_METHOD_UNSPECIFIED: PaymentMethod
PAYMENT_METHOD_ACH: PaymentMethod
PAYMENT_METHOD_WIRE: PaymentMethod
PAYMENT_METHOD_CARD: PaymentMethod
PAYMENT_METHOD_EXTERNAL: PaymentMethod
PAYMENT_STATUS_UNSPECIFIED: PaymentStatus
PAYMENT_STATUS_INITIATED: PaymentStatus
PAYMENT_STATUS_PENDING: PaymentStatus
PAYMENT_STATUS_COMPLETED: PaymentStatus
PAYMENT_STATUS_FAILED: PaymentStatus
PAYMENT_STATUS_REVERSED: PaymentStatus
PAYMENT_ATTEMPT_STATUS_UNSPECIFIED: PaymentAttemptStatus
PAYMENT_ATTEMPT_STATUS_REQUESTED: PaymentAttemptStatus
PAYMENT_ATTEMPT_STATUS_PROCESSING: PaymentAttemptStatus
PAYMENT_ATTEMPT_STATUS_SUCCESS: PaymentAttemptStatus
PAYMENT_ATTEMPT_STATUS_FAILED: PaymentAttemptStatus

class Payment(_message.Message):
    __slots__ = ("payment_id", "account_id", "external_reference", "payment_method", "amount", "currency", "status", "initiated_at", "completed_at", "metadata", "beneficiary", "description", "attempts")
    PAYMENT_ID_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    EXTERNAL_REFERENCE_FIELD_NUMBER: _ClassVar[int]
    PAYMENT_METHOD_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    INITIATED_AT_FIELD_NUMBER: _ClassVar[int]
    COMPLETED_AT_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    BENEFICIARY_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    ATTEMPTS_FIELD_NUMBER: _ClassVar[int]
    payment_id: int
    account_id: int
    external_reference: str
    payment_method: PaymentMethod
    amount: str
    currency: str
    status: PaymentStatus
    initiated_at: _timestamp_pb2.Timestamp
    completed_at: _timestamp_pb2.Timestamp
    metadata: _struct_pb2.Struct
    beneficiary: Beneficiary
    description: str
    attempts: _containers.RepeatedCompositeFieldContainer[PaymentAttempt]
    def __init__(self, payment_id: _Optional[int] = ..., account_id: _Optional[int] = ..., external_reference: _Optional[str] = ..., payment_method: _Optional[_Union[PaymentMethod, str]] = ..., amount: _Optional[str] = ..., currency: _Optional[str] = ..., status: _Optional[_Union[PaymentStatus, str]] = ..., initiated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., completed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., metadata: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., beneficiary: _Optional[_Union[Beneficiary, _Mapping]] = ..., description: _Optional[str] = ..., attempts: _Optional[_Iterable[_Union[PaymentAttempt, _Mapping]]] = ...) -> None: ...

class Beneficiary(_message.Message):
    __slots__ = ("name", "account_number", "iban", "bank_code", "reference")
    NAME_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_NUMBER_FIELD_NUMBER: _ClassVar[int]
    IBAN_FIELD_NUMBER: _ClassVar[int]
    BANK_CODE_FIELD_NUMBER: _ClassVar[int]
    REFERENCE_FIELD_NUMBER: _ClassVar[int]
    name: str
    account_number: str
    iban: str
    bank_code: str
    reference: str
    def __init__(self, name: _Optional[str] = ..., account_number: _Optional[str] = ..., iban: _Optional[str] = ..., bank_code: _Optional[str] = ..., reference: _Optional[str] = ...) -> None: ...

class PaymentAttempt(_message.Message):
    __slots__ = ("attempt_id", "attempt_ts", "status", "response_code", "response_message")
    ATTEMPT_ID_FIELD_NUMBER: _ClassVar[int]
    ATTEMPT_TS_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    RESPONSE_CODE_FIELD_NUMBER: _ClassVar[int]
    RESPONSE_MESSAGE_FIELD_NUMBER: _ClassVar[int]
    attempt_id: int
    attempt_ts: _timestamp_pb2.Timestamp
    status: PaymentAttemptStatus
    response_code: str
    response_message: str
    def __init__(self, attempt_id: _Optional[int] = ..., attempt_ts: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., status: _Optional[_Union[PaymentAttemptStatus, str]] = ..., response_code: _Optional[str] = ..., response_message: _Optional[str] = ...) -> None: ...
