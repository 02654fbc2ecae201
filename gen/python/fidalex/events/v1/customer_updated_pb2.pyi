import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class CustomerChangeType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CUSTOMER_CHANGE_TYPE_UNSPECIFIED: _ClassVar[CustomerChangeType]
    CUSTOMER_CHANGE_TYPE_CREATED: _ClassVar[CustomerChangeType]
    CUSTOMER_CHANGE_TYPE_UPDATED: _ClassVar[CustomerChangeType]
    CUSTOMER_CHANGE_TYPE_KYC_CHANGED: _ClassVar[CustomerChangeType]
CUSTOMER_CHANGE_TYPE_UNSPECIFIED: CustomerChangeType
CUSTOMER_CHANGE_TYPE_CREATED: CustomerChangeType
CUSTOMER_CHANGE_TYPE_UPDATED: CustomerChangeType
CUSTOMER_CHANGE_TYPE_KYC_CHANGED: CustomerChangeType

class CustomerUpdated(_message.Message):
    __slots__ = ("event_id", "event_time", "customer_id", "change_type", "updated_fields", "timestamp", "changed_by")
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    EVENT_TIME_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    CHANGE_TYPE_FIELD_NUMBER: _ClassVar[int]
    UPDATED_FIELDS_FIELD_NUMBER: _ClassVar[int]
    TIMESTAMP_FIELD_NUMBER: _ClassVar[int]
    CHANGED_BY_FIELD_NUMBER: _ClassVar[int]
    event_id: str
    event_time: _timestamp_pb2.Timestamp
    customer_id: int
    change_type: CustomerChangeType
    updated_fields: _containers.RepeatedScalarFieldContainer[str]
    timestamp: _timestamp_pb2.Timestamp
    changed_by: str
    def __init__(self, event_id: _Optional[str] = ..., event_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., customer_id: _Optional[int] = ..., change_type: _Optional[_Union[CustomerChangeType, str]] = ..., updated_fields: _Optional[_Iterable[str]] = ..., timestamp: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., changed_by: _Optional[str] = ...) -> None: ...
