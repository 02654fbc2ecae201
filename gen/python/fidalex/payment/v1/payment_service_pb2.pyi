from buf.validate import validate_pb2 as _validate_pb2
from fidalex.payment.v1 import payment_pb2 as _payment_pb2
from fidalex.payment.v1 import scheduled_payment_pb2 as _scheduled_payment_pb2
from fidalex.type.v1 import rules_pb2 as _rules_pb2
from google.api import annotations_pb2 as _annotations_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class CreatePaymentRequest(_message.Message):
    __slots__ = ("account_id", "external_reference", "payment_method", "amount", "currency", "beneficiary", "description")
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    EXTERNAL_REFERENCE_FIELD_NUMBER: _ClassVar[int]
    PAYMENT_METHOD_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    BENEFICIARY_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    account_id: int
    external_reference: str
    payment_method: _payment_pb2.PaymentMethod
    amount: str
    currency: str
    beneficiary: _payment_pb2.Beneficiary
    description: str
    def __init__(self, account_id: _Optional[int] = ..., external_reference: _Optional[str] = ..., payment_method: _Optional[_Union[_payment_pb2.PaymentMethod, str]] = ..., amount: _Optional[str] = ..., currency: _Optional[str] = ..., beneficiary: _Optional[_Union[_payment_pb2.Beneficiary, _Mapping]] = ..., description: _Optional[str] = ...) -> None: ...

class CreatePaymentResponse(_message.Message):
    __slots__ = ("payment",)
    PAYMENT_FIELD_NUMBER: _ClassVar[int]
    payment: _payment_pb2.Payment
    def __init__(self, payment: _Optional[_Union[_payment_pb2.Payment, _Mapping]] = ...) -> None: ...

class GetPaymentRequest(_message.Message):
    __slots__ = ("payment_id",)
    PAYMENT_ID_FIELD_NUMBER: _ClassVar[int]
    payment_id: int
    def __init__(self, payment_id: _Optional[int] = ...) -> None: ...

class GetPaymentResponse(_message.Message):
    __slots__ = ("payment",)
    PAYMENT_FIELD_NUMBER: _ClassVar[int]
    payment: _payment_pb2.Payment
    def __init__(self, payment: _Optional[_Union[_payment_pb2.Payment, _Mapping]] = ...) -> None: ...

class ListAccountPaymentsRequest(_message.Message):
    __slots__ = ("account_id", "page_size", "page_token", "status")
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    account_id: int
    page_size: int
    page_token: str
    status: _payment_pb2.PaymentStatus
    def __init__(self, account_id: _Optional[int] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ..., status: _Optional[_Union[_payment_pb2.PaymentStatus, str]] = ...) -> None: ...

class ListAccountPaymentsResponse(_message.Message):
    __slots__ = ("payments", "next_page_token")
    PAYMENTS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    payments: _containers.RepeatedCompositeFieldContainer[_payment_pb2.Payment]
    next_page_token: str
    def __init__(self, payments: _Optional[_Iterable[_Union[_payment_pb2.Payment, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class SchedulePaymentRequest(_message.Message):
    __slots__ = ("schedule_id", "account_id", "amount", "currency", "frequency", "next_run_date", "end_date", "payment_method", "beneficiary", "idempotency_key")
    SCHEDULE_ID_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    FREQUENCY_FIELD_NUMBER: _ClassVar[int]
    NEXT_RUN_DATE_FIELD_NUMBER: _ClassVar[int]
    END_DATE_FIELD_NUMBER: _ClassVar[int]
    PAYMENT_METHOD_FIELD_NUMBER: _ClassVar[int]
    BENEFICIARY_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    schedule_id: int
    account_id: int
    amount: str
    currency: str
    frequency: _scheduled_payment_pb2.PaymentFrequency
    next_run_date: str
    end_date: str
    payment_method: _payment_pb2.PaymentMethod
    beneficiary: _payment_pb2.Beneficiary
    idempotency_key: str
    def __init__(self, schedule_id: _Optional[int] = ..., account_id: _Optional[int] = ..., amount: _Optional[str] = ..., currency: _Optional[str] = ..., frequency: _Optional[_Union[_scheduled_payment_pb2.PaymentFrequency, str]] = ..., next_run_date: _Optional[str] = ..., end_date: _Optional[str] = ..., payment_method: _Optional[_Union[_payment_pb2.PaymentMethod, str]] = ..., beneficiary: _Optional[_Union[_payment_pb2.Beneficiary, _Mapping]] = ..., idempotency_key: _Optional[str] = ...) -> None: ...

class SchedulePaymentResponse(_message.Message):
    __slots__ = ("scheduled_payment",)
    SCHEDULED_PAYMENT_FIELD_NUMBER: _ClassVar[int]
    scheduled_payment: _scheduled_payment_pb2.ScheduledPayment
    def __init__(self, scheduled_payment: _Optional[_Union[_scheduled_payment_pb2.ScheduledPayment, _Mapping]] = ...) -> None: ...

class GetScheduledPaymentRequest(_message.Message):
    __slots__ = ("schedule_id",)
    SCHEDULE_ID_FIELD_NUMBER: _ClassVar[int]
    schedule_id: int
    def __init__(self, schedule_id: _Optional[int] = ...) -> None: ...

class GetScheduledPaymentResponse(_message.Message):
    __slots__ = ("scheduled_payment",)
    SCHEDULED_PAYMENT_FIELD_NUMBER: _ClassVar[int]
    scheduled_payment: _scheduled_payment_pb2.ScheduledPayment
    def __init__(self, scheduled_payment: _Optional[_Union[_scheduled_payment_pb2.ScheduledPayment, _Mapping]] = ...) -> None: ...

class CancelScheduledPaymentRequest(_message.Message):
    __slots__ = ("schedule_id",)
    SCHEDULE_ID_FIELD_NUMBER: _ClassVar[int]
    schedule_id: int
    def __init__(self, schedule_id: _Optional[int] = ...) -> None: ...

class CancelScheduledPaymentResponse(_message.Message):
    __slots__ = ("scheduled_payment",)
    SCHEDULED_PAYMENT_FIELD_NUMBER: _ClassVar[int]
    scheduled_payment: _scheduled_payment_pb2.ScheduledPayment
    def __init__(self, scheduled_payment: _Optional[_Union[_scheduled_payment_pb2.ScheduledPayment, _Mapping]] = ...) -> None: ...
