from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Optional as _Optional

DESCRIPTOR: _descriptor.FileDescriptor

class Granularity(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    GRANULARITY_UNSPECIFIED: _ClassVar[Granularity]
    GRANULARITY_DAY: _ClassVar[Granularity]
    GRANULARITY_WEEK: _ClassVar[Granularity]
    GRANULARITY_MONTH: _ClassVar[Granularity]
GRANULARITY_UNSPECIFIED: Granularity
GRANULARITY_DAY: Granularity
GRANULARITY_WEEK: Granularity
GRANULARITY_MONTH: Granularity

class CustomerGrowth(_message.Message):
    __slots__ = ("period_start", "new_customers", "cumulative_customers")
    PERIOD_START_FIELD_NUMBER: _ClassVar[int]
    NEW_CUSTOMERS_FIELD_NUMBER: _ClassVar[int]
    CUMULATIVE_CUSTOMERS_FIELD_NUMBER: _ClassVar[int]
    period_start: str
    new_customers: int
    cumulative_customers: int
    def __init__(self, period_start: _Optional[str] = ..., new_customers: _Optional[int] = ..., cumulative_customers: _Optional[int] = ...) -> None: ...
