from buf.validate import validate_pb2 as _validate_pb2
from fidalex.transaction.v1 import transaction_pb2 as _transaction_pb2
from fidalex.type.v1 import approval_pb2 as _approval_pb2
from fidalex.type.v1 import rules_pb2 as _rules_pb2
from google.api import annotations_pb2 as _annotations_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class TransferRequest(_message.Message):
    __slots__ = ("from_account_id", "to_account_id", "amount", "currency", "description", "idempotency_key")
    FROM_ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    TO_ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    from_account_id: int
    to_account_id: int
    amount: str
    currency: str
    description: str
    idempotency_key: str
    def __init__(self, from_account_id: _Optional[int] = ..., to_account_id: _Optional[int] = ..., amount: _Optional[str] = ..., currency: _Optional[str] = ..., description: _Optional[str] = ..., idempotency_key: _Optional[str] = ...) -> None: ...

class TransferResponse(_message.Message):
    __slots__ = ("transaction",)
    TRANSACTION_FIELD_NUMBER: _ClassVar[int]
    transaction: _transaction_pb2.Transaction
    def __init__(self, transaction: _Optional[_Union[_transaction_pb2.Transaction, _Mapping]] = ...) -> None: ...

class DepositRequest(_message.Message):
    __slots__ = ("account_id", "amount", "currency", "description", "idempotency_key")
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    account_id: int
    amount: str
    currency: str
    description: str
    idempotency_key: str
    def __init__(self, account_id: _Optional[int] = ..., amount: _Optional[str] = ..., currency: _Optional[str] = ..., description: _Optional[str] = ..., idempotency_key: _Optional[str] = ...) -> None: ...

class DepositResponse(_message.Message):
    __slots__ = ("transaction", "approval")
    TRANSACTION_FIELD_NUMBER: _ClassVar[int]
    APPROVAL_FIELD_NUMBER: _ClassVar[int]
    transaction: _transaction_pb2.Transaction
    approval: _approval_pb2.Approval
    def __init__(self, transaction: _Optional[_Union[_transaction_pb2.Transaction, _Mapping]] = ..., approval: _Optional[_Union[_approval_pb2.Approval, _Mapping]] = ...) -> None: ...

class WithdrawRequest(_message.Message):
    __slots__ = ("account_id", "amount", "currency", "description", "idempotency_key")
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    account_id: int
    amount: str
    currency: str
    description: str
    idempotency_key: str
    def __init__(self, account_id: _Optional[int] = ..., amount: _Optional[str] = ..., currency: _Optional[str] = ..., description: _Optional[str] = ..., idempotency_key: _Optional[str] = ...) -> None: ...

class WithdrawResponse(_message.Message):
    __slots__ = ("transaction", "approval")
    TRANSACTION_FIELD_NUMBER: _ClassVar[int]
    APPROVAL_FIELD_NUMBER: _ClassVar[int]
    transaction: _transaction_pb2.Transaction
    approval: _approval_pb2.Approval
    def __init__(self, transaction: _Optional[_Union[_transaction_pb2.Transaction, _Mapping]] = ..., approval: _Optional[_Union[_approval_pb2.Approval, _Mapping]] = ...) -> None: ...

class ApproveCashMovementRequest(_message.Message):
    __slots__ = ("approval_id",)
    APPROVAL_ID_FIELD_NUMBER: _ClassVar[int]
    approval_id: int
    def __init__(self, approval_id: _Optional[int] = ...) -> None: ...

class ApproveCashMovementResponse(_message.Message):
    __slots__ = ("transaction", "approval")
    TRANSACTION_FIELD_NUMBER: _ClassVar[int]
    APPROVAL_FIELD_NUMBER: _ClassVar[int]
    transaction: _transaction_pb2.Transaction
    approval: _approval_pb2.Approval
    def __init__(self, transaction: _Optional[_Union[_transaction_pb2.Transaction, _Mapping]] = ..., approval: _Optional[_Union[_approval_pb2.Approval, _Mapping]] = ...) -> None: ...

class RejectCashMovementRequest(_message.Message):
    __slots__ = ("approval_id",)
    APPROVAL_ID_FIELD_NUMBER: _ClassVar[int]
    approval_id: int
    def __init__(self, approval_id: _Optional[int] = ...) -> None: ...

class RejectCashMovementResponse(_message.Message):
    __slots__ = ("approval",)
    APPROVAL_FIELD_NUMBER: _ClassVar[int]
    approval: _approval_pb2.Approval
    def __init__(self, approval: _Optional[_Union[_approval_pb2.Approval, _Mapping]] = ...) -> None: ...

class ReverseTransactionRequest(_message.Message):
    __slots__ = ("transaction_id", "reason", "idempotency_key")
    TRANSACTION_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    transaction_id: int
    reason: str
    idempotency_key: str
    def __init__(self, transaction_id: _Optional[int] = ..., reason: _Optional[str] = ..., idempotency_key: _Optional[str] = ...) -> None: ...

class ReverseTransactionResponse(_message.Message):
    __slots__ = ("reversal", "original")
    REVERSAL_FIELD_NUMBER: _ClassVar[int]
    ORIGINAL_FIELD_NUMBER: _ClassVar[int]
    reversal: _transaction_pb2.Transaction
    original: _transaction_pb2.Transaction
    def __init__(self, reversal: _Optional[_Union[_transaction_pb2.Transaction, _Mapping]] = ..., original: _Optional[_Union[_transaction_pb2.Transaction, _Mapping]] = ...) -> None: ...

class GetTransactionRequest(_message.Message):
    __slots__ = ("transaction_id",)
    TRANSACTION_ID_FIELD_NUMBER: _ClassVar[int]
    transaction_id: int
    def __init__(self, transaction_id: _Optional[int] = ...) -> None: ...

class GetTransactionResponse(_message.Message):
    __slots__ = ("transaction", "audit_entries")
    TRANSACTION_FIELD_NUMBER: _ClassVar[int]
    AUDIT_ENTRIES_FIELD_NUMBER: _ClassVar[int]
    transaction: _transaction_pb2.Transaction
    audit_entries: _containers.RepeatedCompositeFieldContainer[_transaction_pb2.TransactionAuditEntry]
    def __init__(self, transaction: _Optional[_Union[_transaction_pb2.Transaction, _Mapping]] = ..., audit_entries: _Optional[_Iterable[_Union[_transaction_pb2.TransactionAuditEntry, _Mapping]]] = ...) -> None: ...

class ListAccountTransactionsRequest(_message.Message):
    __slots__ = ("account_id", "page_size", "page_token", "status", "transaction_type", "date_from", "date_to")
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    TRANSACTION_TYPE_FIELD_NUMBER: _ClassVar[int]
    DATE_FROM_FIELD_NUMBER: _ClassVar[int]
    DATE_TO_FIELD_NUMBER: _ClassVar[int]
    account_id: int
    page_size: int
    page_token: str
    status: _transaction_pb2.TransactionStatus
    transaction_type: _transaction_pb2.TransactionType
    date_from: str
    date_to: str
    def __init__(self, account_id: _Optional[int] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ..., status: _Optional[_Union[_transaction_pb2.TransactionStatus, str]] = ..., transaction_type: _Optional[_Union[_transaction_pb2.TransactionType, str]] = ..., date_from: _Optional[str] = ..., date_to: _Optional[str] = ...) -> None: ...

class ListAccountTransactionsResponse(_message.Message):
    __slots__ = ("transactions", "next_page_token")
    TRANSACTIONS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    transactions: _containers.RepeatedCompositeFieldContainer[_transaction_pb2.Transaction]
    next_page_token: str
    def __init__(self, transactions: _Optional[_Iterable[_Union[_transaction_pb2.Transaction, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class SearchTransactionsRequest(_message.Message):
    __slots__ = ("page_size", "page_token", "status", "date_from", "date_to", "account_id", "transaction_type", "min_amount", "max_amount")
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    DATE_FROM_FIELD_NUMBER: _ClassVar[int]
    DATE_TO_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    TRANSACTION_TYPE_FIELD_NUMBER: _ClassVar[int]
    MIN_AMOUNT_FIELD_NUMBER: _ClassVar[int]
    MAX_AMOUNT_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    status: _transaction_pb2.TransactionStatus
    date_from: str
    date_to: str
    account_id: int
    transaction_type: _transaction_pb2.TransactionType
    min_amount: str
    max_amount: str
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ..., status: _Optional[_Union[_transaction_pb2.TransactionStatus, str]] = ..., date_from: _Optional[str] = ..., date_to: _Optional[str] = ..., account_id: _Optional[int] = ..., transaction_type: _Optional[_Union[_transaction_pb2.TransactionType, str]] = ..., min_amount: _Optional[str] = ..., max_amount: _Optional[str] = ...) -> None: ...

class SearchTransactionsResponse(_message.Message):
    __slots__ = ("transactions", "next_page_token")
    TRANSACTIONS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    transactions: _containers.RepeatedCompositeFieldContainer[_transaction_pb2.Transaction]
    next_page_token: str
    def __init__(self, transactions: _Optional[_Iterable[_Union[_transaction_pb2.Transaction, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...
