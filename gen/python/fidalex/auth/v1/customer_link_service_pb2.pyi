from buf.validate import validate_pb2 as _validate_pb2
from fidalex.auth.v1 import user_pb2 as _user_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class LinkCustomerRequest(_message.Message):
    __slots__ = ("user_id", "customer_id")
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    user_id: int
    customer_id: int
    def __init__(self, user_id: _Optional[int] = ..., customer_id: _Optional[int] = ...) -> None: ...

class LinkCustomerResponse(_message.Message):
    __slots__ = ("user",)
    USER_FIELD_NUMBER: _ClassVar[int]
    user: _user_pb2.User
    def __init__(self, user: _Optional[_Union[_user_pb2.User, _Mapping]] = ...) -> None: ...
