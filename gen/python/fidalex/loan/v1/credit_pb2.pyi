import datetime

from google.protobuf import struct_pb2 as _struct_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class CreditScoreBand(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CREDIT_SCORE_BAND_UNSPECIFIED: _ClassVar[CreditScoreBand]
    CREDIT_SCORE_BAND_POOR: _ClassVar[CreditScoreBand]
    CREDIT_SCORE_BAND_FAIR: _ClassVar[CreditScoreBand]
    CREDIT_SCORE_BAND_GOOD: _ClassVar[CreditScoreBand]
    CREDIT_SCORE_BAND_VERY_GOOD: _ClassVar[CreditScoreBand]
    CREDIT_SCORE_BAND_EXCEPTIONAL: _ClassVar[CreditScoreBand]
CREDIT_SCORE_BAND_UNSPECIFIED: CreditScoreBand
CREDIT_SCORE_BAND_POOR: CreditScoreBand
CREDIT_SCORE_BAND_FAIR: CreditScoreBand
CREDIT_SCORE_BAND_GOOD: CreditScoreBand
CREDIT_SCORE_BAND_VERY_GOOD: CreditScoreBand
CREDIT_SCORE_BAND_EXCEPTIONAL: CreditScoreBand

class CreditScore(_message.Message):
    __slots__ = ("customer_id", "score", "band", "source", "computed_at", "factors")
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    SCORE_FIELD_NUMBER: _ClassVar[int]
    BAND_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    COMPUTED_AT_FIELD_NUMBER: _ClassVar[int]
    FACTORS_FIELD_NUMBER: _ClassVar[int]
    customer_id: int
    score: int
    band: CreditScoreBand
    source: str
    computed_at: _timestamp_pb2.Timestamp
    factors: _containers.RepeatedCompositeFieldContainer[CreditScoreFactor]
    def __init__(self, customer_id: _Optional[int] = ..., score: _Optional[int] = ..., band: _Optional[_Union[CreditScoreBand, str]] = ..., source: _Optional[str] = ..., computed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., factors: _Optional[_Iterable[_Union[CreditScoreFactor, _Mapping]]] = ...) -> None: ...

class CreditScoreFactor(_message.Message):
    __slots__ = ("code", "description", "points", "max_points")
    CODE_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    POINTS_FIELD_NUMBER: _ClassVar[int]
    MAX_POINTS_FIELD_NUMBER: _ClassVar[int]
    code: str
    description: str
    points: int
    max_points: int
    def __init__(self, code: _Optional[str] = ..., description: _Optional[str] = ..., points: _Optional[int] = ..., max_points: _Optional[int] = ...) -> None: ...

class CreditReport(_message.Message):
    __slots__ = ("report_id", "customer_id", "report_source", "fetched_at", "report_data")
    REPORT_ID_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    REPORT_SOURCE_FIELD_NUMBER: _ClassVar[int]
    FETCHED_AT_FIELD_NUMBER: _ClassVar[int]
    REPORT_DATA_FIELD_NUMBER: _ClassVar[int]
    report_id: int
    customer_id: int
    report_source: str
    fetched_at: _timestamp_pb2.Timestamp
    report_data: _struct_pb2.Struct
    def __init__(self, report_id: _Optional[int] = ..., customer_id: _Optional[int] = ..., report_source: _Optional[str] = ..., fetched_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., report_data: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ...) -> None: ...
