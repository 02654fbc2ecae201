from buf.validate import validate_pb2 as _validate_pb2
from fidalex.chatbot.v1 import conversation_pb2 as _conversation_pb2
from fidalex.chatbot.v1 import embedding_pb2 as _embedding_pb2
from fidalex.chatbot.v1 import intent_pb2 as _intent_pb2
from fidalex.chatbot.v1 import message_pb2 as _message_pb2
from fidalex.type.v1 import rules_pb2 as _rules_pb2
from google.api import annotations_pb2 as _annotations_pb2
from google.protobuf import struct_pb2 as _struct_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class StartConversationRequest(_message.Message):
    __slots__ = ("metadata",)
    METADATA_FIELD_NUMBER: _ClassVar[int]
    metadata: _struct_pb2.Struct
    def __init__(self, metadata: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ...) -> None: ...

class StartConversationResponse(_message.Message):
    __slots__ = ("conversation",)
    CONVERSATION_FIELD_NUMBER: _ClassVar[int]
    conversation: _conversation_pb2.Conversation
    def __init__(self, conversation: _Optional[_Union[_conversation_pb2.Conversation, _Mapping]] = ...) -> None: ...

class SendMessageRequest(_message.Message):
    __slots__ = ("conversation_id", "message_text")
    CONVERSATION_ID_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_TEXT_FIELD_NUMBER: _ClassVar[int]
    conversation_id: str
    message_text: str
    def __init__(self, conversation_id: _Optional[str] = ..., message_text: _Optional[str] = ...) -> None: ...

class SendMessageResponse(_message.Message):
    __slots__ = ("user_message", "bot_message")
    USER_MESSAGE_FIELD_NUMBER: _ClassVar[int]
    BOT_MESSAGE_FIELD_NUMBER: _ClassVar[int]
    user_message: _message_pb2.ChatMessage
    bot_message: _message_pb2.ChatMessage
    def __init__(self, user_message: _Optional[_Union[_message_pb2.ChatMessage, _Mapping]] = ..., bot_message: _Optional[_Union[_message_pb2.ChatMessage, _Mapping]] = ...) -> None: ...

class ListConversationMessagesRequest(_message.Message):
    __slots__ = ("conversation_id", "page_size", "page_token")
    CONVERSATION_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    conversation_id: str
    page_size: int
    page_token: str
    def __init__(self, conversation_id: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListConversationMessagesResponse(_message.Message):
    __slots__ = ("messages", "next_page_token")
    MESSAGES_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    messages: _containers.RepeatedCompositeFieldContainer[_message_pb2.ChatMessage]
    next_page_token: str
    def __init__(self, messages: _Optional[_Iterable[_Union[_message_pb2.ChatMessage, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class ListIntentsRequest(_message.Message):
    __slots__ = ("page_size", "page_token")
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListIntentsResponse(_message.Message):
    __slots__ = ("intents", "next_page_token")
    INTENTS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    intents: _containers.RepeatedCompositeFieldContainer[_intent_pb2.Intent]
    next_page_token: str
    def __init__(self, intents: _Optional[_Iterable[_Union[_intent_pb2.Intent, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class UpsertIntentRequest(_message.Message):
    __slots__ = ("name", "training_phrases", "response_templates")
    NAME_FIELD_NUMBER: _ClassVar[int]
    TRAINING_PHRASES_FIELD_NUMBER: _ClassVar[int]
    RESPONSE_TEMPLATES_FIELD_NUMBER: _ClassVar[int]
    name: str
    training_phrases: _containers.RepeatedScalarFieldContainer[str]
    response_templates: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, name: _Optional[str] = ..., training_phrases: _Optional[_Iterable[str]] = ..., response_templates: _Optional[_Iterable[str]] = ...) -> None: ...

class UpsertIntentResponse(_message.Message):
    __slots__ = ("intent", "created")
    INTENT_FIELD_NUMBER: _ClassVar[int]
    CREATED_FIELD_NUMBER: _ClassVar[int]
    intent: _intent_pb2.Intent
    created: bool
    def __init__(self, intent: _Optional[_Union[_intent_pb2.Intent, _Mapping]] = ..., created: _Optional[bool] = ...) -> None: ...

class GetEmbeddingRequest(_message.Message):
    __slots__ = ("text",)
    TEXT_FIELD_NUMBER: _ClassVar[int]
    text: str
    def __init__(self, text: _Optional[str] = ...) -> None: ...

class GetEmbeddingResponse(_message.Message):
    __slots__ = ("embedding",)
    EMBEDDING_FIELD_NUMBER: _ClassVar[int]
    embedding: _embedding_pb2.Embedding
    def __init__(self, embedding: _Optional[_Union[_embedding_pb2.Embedding, _Mapping]] = ...) -> None: ...
