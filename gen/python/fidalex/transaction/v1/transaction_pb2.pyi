import datetime

from google.protobuf import struct_pb2 as _struct_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class TransactionType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    TRANSACTION_TYPE_UNSPECIFIED: _ClassVar[TransactionType]
    TRANSACTION_TYPE_DEPOSIT: _ClassVar[TransactionType]
    TRANSACTION_TYPE_WITHDRAWAL: _ClassVar[TransactionType]
    TRANSACTION_TYPE_TRANSFER: _ClassVar[TransactionType]
    TRANSACTION_TYPE_FEE: _ClassVar[TransactionType]
    TRANSACTION_TYPE_REVERSAL: _ClassVar[TransactionType]

class TransactionStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    TRANSACTION_STATUS_UNSPECIFIED: _ClassVar[TransactionStatus]
    TRANSACTION_STATUS_PENDING: _ClassVar[TransactionStatus]
    TRANSACTION_STATUS_SUCCESS: _ClassVar[TransactionStatus]
    TRANSACTION_STATUS_FAILED: _ClassVar[TransactionStatus]
    TRANSACTION_STATUS_REVERSED: _ClassVar[TransactionStatus]

class TransactionAuditEvent(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    TRANSACTION_AUDIT_EVENT_UNSPECIFIED: _ClassVar[TransactionAuditEvent]
    TRANSACTION_AUDIT_EVENT_CREATED: _ClassVar[TransactionAuditEvent]
    TRANSACTION_AUDIT_EVENT_STATUS_UPDATED: _ClassVar[TransactionAuditEvent]
    TRANSACTION_AUDIT_EVENT_REVERSED: _ClassVar[TransactionAuditEvent]
TRANSACTION_TYPE_UNSPECIFIED: TransactionType
TRANSACTION_TYPE_DEPOSIT: TransactionType
TRANSACTION_TYPE_WITHDRAWAL: TransactionType
TRANSACTION_TYPE_TRANSFER: TransactionType
TRANSACTION_TYPE_FEE: TransactionType
TRANSACTION_TYPE_REVERSAL: TransactionType
TRANSACTION_STATUS_UNSPECIFIED: TransactionStatus
TRANSACTION_STATUS_PENDING: TransactionStatus
TRANSACTION_STATUS_SUCCESS: TransactionStatus
TRANSACTION_STATUS_FAILED: TransactionStatus
TRANSACTION_STATUS_REVERSED: TransactionStatus
TRANSACTION_AUDIT_EVENT_UNSPECIFIED: TransactionAuditEvent
TRANSACTION_AUDIT_EVENT_CREATED: TransactionAuditEvent
TRANSACTION_AUDIT_EVENT_STATUS_UPDATED: TransactionAuditEvent
TRANSACTION_AUDIT_EVENT_REVERSED: TransactionAuditEvent

class Transaction(_message.Message):
    __slots__ = ("transaction_id", "account_id", "related_account_id", "transaction_type", "amount", "currency", "status", "created_at", "completed_at", "description", "metadata", "failure_reason", "reversal_of_transaction_id", "reversed_by_transaction_id")
    TRANSACTION_ID_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    RELATED_ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    TRANSACTION_TYPE_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    COMPLETED_AT_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    FAILURE_REASON_FIELD_NUMBER: _ClassVar[int]
    REVERSAL_OF_TRANSACTION_ID_FIELD_NUMBER: _ClassVar[int]
    REVERSED_BY_TRANSACTION_ID_FIELD_NUMBER: _ClassVar[int]
    transaction_id: int
    account_id: int
    related_account_id: int
    transaction_type: TransactionType
    amount: str
    currency: str
    status: TransactionStatus
    created_at: _timestamp_pb2.Timestamp
    completed_at: _timestamp_pb2.Timestamp
    description: str
    metadata: _struct_pb2.Struct
    failure_reason: str
    reversal_of_transaction_id: int
    reversed_by_transaction_id: int
    def __init__(self, transaction_id: _Optional[int] = ..., account_id: _Optional[int] = ..., related_account_id: _Optional[int] = ..., transaction_type: _Optional[_Union[TransactionType, str]] = ..., amount: _Optional[str] = ..., currency: _Optional[str] = ..., status: _Optional[_Union[TransactionStatus, str]] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., completed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., description: _Optional[str] = ..., metadata: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., failure_reason: _Optional[str] = ..., reversal_of_transaction_id: _Optional[int] = ..., reversed_by_transaction_id: _Optional[int] = ...) -> None: ...

class TransactionAuditEntry(_message.Message):
    __slots__ = ("audit_id", "audit_event", "old_status", "new_status", "changed_by", "event_ts")
    AUDIT_ID_FIELD_NUMBER: _ClassVar[int]
    AUDIT_EVENT_FIELD_NUMBER: _ClassVar[int]
    OLD_STATUS_FIELD_NUMBER: _ClassVar[int]
    NEW_STATUS_FIELD_NUMBER: _ClassVar[int]
    CHANGED_BY_FIELD_NUMBER: _ClassVar[int]
    EVENT_TS_FIELD_NUMBER: _ClassVar[int]
    audit_id: int
    audit_event: TransactionAuditEvent
    old_status: TransactionStatus
    new_status: TransactionStatus
    changed_by: str
    event_ts: _timestamp_pb2.Timestamp
    def __init__(self, audit_id: _Optional[int] = ..., audit_event: _Optional[_Union[TransactionAuditEvent, str]] = ..., old_status: _Optional[_Union[TransactionStatus, str]] = ..., new_status: _Optional[_Union[TransactionStatus, str]] = ..., changed_by: _Optional[str] = ..., event_ts: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...
