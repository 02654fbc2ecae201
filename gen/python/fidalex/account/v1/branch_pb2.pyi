from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Optional as _Optional

DESCRIPTOR: _descriptor.FileDescriptor

class Branch(_message.Message):
    __slots__ = ("branch_id", "branch_name", "region")
    BRANCH_ID_FIELD_NUMBER: _ClassVar[int]
    BRANCH_NAME_FIELD_NUMBER: _ClassVar[int]
    REGION_FIELD_NUMBER: _ClassVar[int]
    branch_id: int
    branch_name: str
    region: str
    def __init__(self, branch_id: _Optional[int] = ..., branch_name: _Optional[str] = ..., region: _Optional[str] = ...) -> None: ...
