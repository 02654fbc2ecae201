import datetime

from google.protobuf import struct_pb2 as _struct_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class AccountType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ACCOUNT_TYPE_UNSPECIFIED: _ClassVar[AccountType]
    ACCOUNT_TYPE_CHECKING: _ClassVar[AccountType]
    ACCOUNT_TYPE_SAVINGS: _ClassVar[AccountType]
    ACCOUNT_TYPE_LOAN: _ClassVar[AccountType]
    ACCOUNT_TYPE_CREDIT: _ClassVar[AccountType]

class AccountStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ACCOUNT_STATUS_UNSPECIFIED: _ClassVar[AccountStatus]
    ACCOUNT_STATUS_ACTIVE: _ClassVar[AccountStatus]
    ACCOUNT_STATUS_CLOSED: _ClassVar[AccountStatus]
    ACCOUNT_STATUS_FROZEN: _ClassVar[AccountStatus]
    ACCOUNT_STATUS_PENDING: _ClassVar[AccountStatus]
ACCOUNT_TYPE_UNSPECIFIED: AccountType
ACCOUNT_TYPE_CHECKING: AccountType
ACCOUNT_TYPE_SAVINGS: AccountType
ACCOUNT_TYPE_LOAN: AccountType
ACCOUNT_TYPE_CREDIT: AccountType
ACCOUNT_STATUS_UNSPECIFIED: AccountStatus
ACCOUNT_STATUS_ACTIVE: AccountStatus
ACCOUNT_STATUS_CLOSED: AccountStatus
ACCOUNT_STATUS_FROZEN: AccountStatus
ACCOUNT_STATUS_PENDING: AccountStatus

class Account(_message.Message):
    __slots__ = ("account_id", "customer_id", "account_number", "account_type", "currency", "balance", "status", "branch_id", "opened_at", "closed_at", "updated_at")
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_NUMBER_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_TYPE_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    BALANCE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    BRANCH_ID_FIELD_NUMBER: _ClassVar[int]
    OPENED_AT_FIELD_NUMBER: _ClassVar[int]
    CLOSED_AT_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    account_id: int
    customer_id: int
    account_number: str
    account_type: AccountType
    currency: str
    balance: str
    status: AccountStatus
    branch_id: int
    opened_at: _timestamp_pb2.Timestamp
    closed_at: _timestamp_pb2.Timestamp
    updated_at: _timestamp_pb2.Timestamp
    def __init__(self, account_id: _Optional[int] = ..., customer_id: _Optional[int] = ..., account_number: _Optional[str] = ..., account_type: _Optional[_Union[AccountType, str]] = ..., currency: _Optional[str] = ..., balance: _Optional[str] = ..., status: _Optional[_Union[AccountStatus, str]] = ..., branch_id: _Optional[int] = ..., opened_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., closed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class AccountBalance(_message.Message):
    __slots__ = ("account_id", "balance", "available_balance", "currency", "as_of")
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    BALANCE_FIELD_NUMBER: _ClassVar[int]
    AVAILABLE_BALANCE_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    AS_OF_FIELD_NUMBER: _ClassVar[int]
    account_id: int
    balance: str
    available_balance: str
    currency: str
    as_of: _timestamp_pb2.Timestamp
    def __init__(self, account_id: _Optional[int] = ..., balance: _Optional[str] = ..., available_balance: _Optional[str] = ..., currency: _Optional[str] = ..., as_of: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class AccountSettings(_message.Message):
    __slots__ = ("account_id", "overdraft_limit", "daily_withdrawal_limit", "notifications_enabled")
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    OVERDRAFT_LIMIT_FIELD_NUMBER: _ClassVar[int]
    DAILY_WITHDRAWAL_LIMIT_FIELD_NUMBER: _ClassVar[int]
    NOTIFICATIONS_ENABLED_FIELD_NUMBER: _ClassVar[int]
    account_id: int
    overdraft_limit: str
    daily_withdrawal_limit: str
    notifications_enabled: bool
    def __init__(self, account_id: _Optional[int] = ..., overdraft_limit: _Optional[str] = ..., daily_withdrawal_limit: _Optional[str] = ..., notifications_enabled: _Optional[bool] = ...) -> None: ...

class AccountLog(_message.Message):
    __slots__ = ("log_id", "account_id", "change_type", "old_value", "new_value", "changed_by", "change_ts")
    LOG_ID_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    CHANGE_TYPE_FIELD_NUMBER: _ClassVar[int]
    OLD_VALUE_FIELD_NUMBER: _ClassVar[int]
    NEW_VALUE_FIELD_NUMBER: _ClassVar[int]
    CHANGED_BY_FIELD_NUMBER: _ClassVar[int]
    CHANGE_TS_FIELD_NUMBER: _ClassVar[int]
    log_id: int
    account_id: int
    change_type: str
    old_value: _struct_pb2.Struct
    new_value: _struct_pb2.Struct
    changed_by: str
    change_ts: _timestamp_pb2.Timestamp
    def __init__(self, log_id: _Optional[int] = ..., account_id: _Optional[int] = ..., change_type: _Optional[str] = ..., old_value: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., new_value: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., changed_by: _Optional[str] = ..., change_ts: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...
