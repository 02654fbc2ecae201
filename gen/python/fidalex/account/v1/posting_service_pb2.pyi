from buf.validate import validate_pb2 as _validate_pb2
from fidalex.account.v1 import posting_pb2 as _posting_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ApplyPostingsRequest(_message.Message):
    __slots__ = ("transaction_id", "postings", "kind", "changed_by")
    TRANSACTION_ID_FIELD_NUMBER: _ClassVar[int]
    POSTINGS_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    CHANGED_BY_FIELD_NUMBER: _ClassVar[int]
    transaction_id: int
    postings: _containers.RepeatedCompositeFieldContainer[_posting_pb2.Posting]
    kind: _posting_pb2.PostingKind
    changed_by: str
    def __init__(self, transaction_id: _Optional[int] = ..., postings: _Optional[_Iterable[_Union[_posting_pb2.Posting, _Mapping]]] = ..., kind: _Optional[_Union[_posting_pb2.PostingKind, str]] = ..., changed_by: _Optional[str] = ...) -> None: ...

class ApplyPostingsResponse(_message.Message):
    __slots__ = ("result",)
    RESULT_FIELD_NUMBER: _ClassVar[int]
    result: _posting_pb2.PostingResult
    def __init__(self, result: _Optional[_Union[_posting_pb2.PostingResult, _Mapping]] = ...) -> None: ...

class GetPostingStatusRequest(_message.Message):
    __slots__ = ("transaction_id",)
    TRANSACTION_ID_FIELD_NUMBER: _ClassVar[int]
    transaction_id: int
    def __init__(self, transaction_id: _Optional[int] = ...) -> None: ...

class GetPostingStatusResponse(_message.Message):
    __slots__ = ("applied", "result")
    APPLIED_FIELD_NUMBER: _ClassVar[int]
    RESULT_FIELD_NUMBER: _ClassVar[int]
    applied: bool
    result: _posting_pb2.PostingResult
    def __init__(self, applied: _Optional[bool] = ..., result: _Optional[_Union[_posting_pb2.PostingResult, _Mapping]] = ...) -> None: ...
