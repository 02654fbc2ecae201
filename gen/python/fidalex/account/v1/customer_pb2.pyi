import datetime

from buf.validate import validate_pb2 as _validate_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class KycStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    KYC_STATUS_UNSPECIFIED: _ClassVar[KycStatus]
    KYC_STATUS_PENDING: _ClassVar[KycStatus]
    KYC_STATUS_VERIFIED: _ClassVar[KycStatus]
    KYC_STATUS_REJECTED: _ClassVar[KycStatus]
KYC_STATUS_UNSPECIFIED: KycStatus
KYC_STATUS_PENDING: KycStatus
KYC_STATUS_VERIFIED: KycStatus
KYC_STATUS_REJECTED: KycStatus

class Customer(_message.Message):
    __slots__ = ("customer_id", "first_name", "last_name", "date_of_birth", "email", "phone_number", "address", "kyc_status", "kyc_metadata", "created_at", "updated_at", "user_id")
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    FIRST_NAME_FIELD_NUMBER: _ClassVar[int]
    LAST_NAME_FIELD_NUMBER: _ClassVar[int]
    DATE_OF_BIRTH_FIELD_NUMBER: _ClassVar[int]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    PHONE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    ADDRESS_FIELD_NUMBER: _ClassVar[int]
    KYC_STATUS_FIELD_NUMBER: _ClassVar[int]
    KYC_METADATA_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    customer_id: int
    first_name: str
    last_name: str
    date_of_birth: str
    email: str
    phone_number: str
    address: Address
    kyc_status: KycStatus
    kyc_metadata: KycMetadata
    created_at: _timestamp_pb2.Timestamp
    updated_at: _timestamp_pb2.Timestamp
    user_id: int
    def __init__(self, customer_id: _Optional[int] = ..., first_name: _Optional[str] = ..., last_name: _Optional[str] = ..., date_of_birth: _Optional[str] = ..., email: _Optional[str] = ..., phone_number: _Optional[str] = ..., address: _Optional[_Union[Address, _Mapping]] = ..., kyc_status: _Optional[_Union[KycStatus, str]] = ..., kyc_metadata: _Optional[_Union[KycMetadata, _Mapping]] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., user_id: _Optional[int] = ...) -> None: ...

class Address(_message.Message):
    __slots__ = ("line1", "line2", "city", "state", "postal_code", "country")
    LINE1_FIELD_NUMBER: _ClassVar[int]
    LINE2_FIELD_NUMBER: _ClassVar[int]
    CITY_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    POSTAL_CODE_FIELD_NUMBER: _ClassVar[int]
    COUNTRY_FIELD_NUMBER: _ClassVar[int]
    line1: str
    line2: str
    city: str
    state: str
    postal_code: str
    country: str
    def __init__(self, line1: _Optional[str] = ..., line2: _Optional[str] = ..., city: _Optional[str] = ..., state: _Optional[str] = ..., postal_code: _Optional[str] = ..., country: _Optional[str] = ...) -> None: ...

class KycMetadata(_message.Message):
    __slots__ = ("documents", "verified_by", "verified_at", "comment")
    DOCUMENTS_FIELD_NUMBER: _ClassVar[int]
    VERIFIED_BY_FIELD_NUMBER: _ClassVar[int]
    VERIFIED_AT_FIELD_NUMBER: _ClassVar[int]
    COMMENT_FIELD_NUMBER: _ClassVar[int]
    documents: _containers.RepeatedScalarFieldContainer[str]
    verified_by: str
    verified_at: _timestamp_pb2.Timestamp
    comment: str
    def __init__(self, documents: _Optional[_Iterable[str]] = ..., verified_by: _Optional[str] = ..., verified_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., comment: _Optional[str] = ...) -> None: ...
