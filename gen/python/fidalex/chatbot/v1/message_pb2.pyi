import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class SenderType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SENDER_TYPE_UNSPECIFIED: _ClassVar[SenderType]
    SENDER_TYPE_USER: _ClassVar[SenderType]
    SENDER_TYPE_BOT: _ClassVar[SenderType]
SENDER_TYPE_UNSPECIFIED: SenderType
SENDER_TYPE_USER: SenderType
SENDER_TYPE_BOT: SenderType

class ChatMessage(_message.Message):
    __slots__ = ("message_id", "conversation_id", "sender_type", "message_text", "timestamp", "nlp_metadata")
    MESSAGE_ID_FIELD_NUMBER: _ClassVar[int]
    CONVERSATION_ID_FIELD_NUMBER: _ClassVar[int]
    SENDER_TYPE_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_TEXT_FIELD_NUMBER: _ClassVar[int]
    TIMESTAMP_FIELD_NUMBER: _ClassVar[int]
    NLP_METADATA_FIELD_NUMBER: _ClassVar[int]
    message_id: str
    conversation_id: str
    sender_type: SenderType
    message_text: str
    timestamp: _timestamp_pb2.Timestamp
    nlp_metadata: NlpMetadata
    def __init__(self, message_id: _Optional[str] = ..., conversation_id: _Optional[str] = ..., sender_type: _Optional[_Union[SenderType, str]] = ..., message_text: _Optional[str] = ..., timestamp: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., nlp_metadata: _Optional[_Union[NlpMetadata, _Mapping]] = ...) -> None: ...

class NlpMetadata(_message.Message):
    __slots__ = ("intent", "entities", "confidence")
    class EntitiesEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    INTENT_FIELD_NUMBER: _ClassVar[int]
    ENTITIES_FIELD_NUMBER: _ClassVar[int]
    CONFIDENCE_FIELD_NUMBER: _ClassVar[int]
    intent: str
    entities: _containers.ScalarMap[str, str]
    confidence: float
    def __init__(self, intent: _Optional[str] = ..., entities: _Optional[_Mapping[str, str]] = ..., confidence: _Optional[float] = ...) -> None: ...
