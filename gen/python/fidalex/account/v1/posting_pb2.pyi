import datetime

from buf.validate import validate_pb2 as _validate_pb2
from fidalex.type.v1 import rules_pb2 as _rules_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class PostingDirection(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    POSTING_DIRECTION_UNSPECIFIED: _ClassVar[PostingDirection]
    POSTING_DIRECTION_DEBIT: _ClassVar[PostingDirection]
    POSTING_DIRECTION_CREDIT: _ClassVar[PostingDirection]

class PostingKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    POSTING_KIND_UNSPECIFIED: _ClassVar[PostingKind]
    POSTING_KIND_TRANSFER: _ClassVar[PostingKind]
    POSTING_KIND_DEPOSIT: _ClassVar[PostingKind]
    POSTING_KIND_WITHDRAWAL: _ClassVar[PostingKind]
    POSTING_KIND_FEE: _ClassVar[PostingKind]
    POSTING_KIND_REVERSAL: _ClassVar[PostingKind]
    POSTING_KIND_LOAN_DISBURSEMENT: _ClassVar[PostingKind]
    POSTING_KIND_LOAN_REPAYMENT: _ClassVar[PostingKind]
    POSTING_KIND_PAYMENT: _ClassVar[PostingKind]
POSTING_DIRECTION_UNSPECIFIED: PostingDirection
POSTING_DIRECTION_DEBIT: PostingDirection
POSTING_DIRECTION_CREDIT: PostingDirection
POSTING_KIND_UNSPECIFIED: PostingKind
POSTING_KIND_TRANSFER: PostingKind
POSTING_KIND_DEPOSIT: PostingKind
POSTING_KIND_WITHDRAWAL: PostingKind
POSTING_KIND_FEE: PostingKind
POSTING_KIND_REVERSAL: PostingKind
POSTING_KIND_LOAN_DISBURSEMENT: PostingKind
POSTING_KIND_LOAN_REPAYMENT: PostingKind
POSTING_KIND_PAYMENT: PostingKind

class Posting(_message.Message):
    __slots__ = ("account_id", "direction", "amount", "currency")
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    DIRECTION_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    account_id: int
    direction: PostingDirection
    amount: str
    currency: str
    def __init__(self, account_id: _Optional[int] = ..., direction: _Optional[_Union[PostingDirection, str]] = ..., amount: _Optional[str] = ..., currency: _Optional[str] = ...) -> None: ...

class PostingResult(_message.Message):
    __slots__ = ("transaction_id", "applied_at", "balances", "replayed")
    TRANSACTION_ID_FIELD_NUMBER: _ClassVar[int]
    APPLIED_AT_FIELD_NUMBER: _ClassVar[int]
    BALANCES_FIELD_NUMBER: _ClassVar[int]
    REPLAYED_FIELD_NUMBER: _ClassVar[int]
    transaction_id: int
    applied_at: _timestamp_pb2.Timestamp
    balances: _containers.RepeatedCompositeFieldContainer[PostedBalance]
    replayed: bool
    def __init__(self, transaction_id: _Optional[int] = ..., applied_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., balances: _Optional[_Iterable[_Union[PostedBalance, _Mapping]]] = ..., replayed: _Optional[bool] = ...) -> None: ...

class PostedBalance(_message.Message):
    __slots__ = ("account_id", "balance", "currency")
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    BALANCE_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    account_id: int
    balance: str
    currency: str
    def __init__(self, account_id: _Optional[int] = ..., balance: _Optional[str] = ..., currency: _Optional[str] = ...) -> None: ...
