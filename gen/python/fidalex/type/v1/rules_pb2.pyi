from buf.validate import validate_pb2 as _validate_pb2
from google.protobuf import descriptor as _descriptor
from typing import ClassVar as _ClassVar

DESCRIPTOR: _descriptor.FileDescriptor
POSITIVE_AMOUNT_FIELD_NUMBER: _ClassVar[int]
positive_amount: _descriptor.FieldDescriptor
NON_NEGATIVE_AMOUNT_FIELD_NUMBER: _ClassVar[int]
non_negative_amount: _descriptor.FieldDescriptor
CURRENCY_FIELD_NUMBER: _ClassVar[int]
currency: _descriptor.FieldDescriptor
DATE_FIELD_NUMBER: _ClassVar[int]
date: _descriptor.FieldDescriptor
IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
idempotency_key: _descriptor.FieldDescriptor
CONVERSATION_ID_FIELD_NUMBER: _ClassVar[int]
conversation_id: _descriptor.FieldDescriptor
