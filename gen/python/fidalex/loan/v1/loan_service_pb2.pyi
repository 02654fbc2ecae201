from buf.validate import validate_pb2 as _validate_pb2
from fidalex.loan.v1 import loan_pb2 as _loan_pb2
from fidalex.loan.v1 import loan_application_pb2 as _loan_application_pb2
from fidalex.type.v1 import rules_pb2 as _rules_pb2
from google.api import annotations_pb2 as _annotations_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ApplyForLoanRequest(_message.Message):
    __slots__ = ("customer_id", "amount_requested", "currency", "term_months", "purpose", "disbursement_account_id")
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_REQUESTED_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    TERM_MONTHS_FIELD_NUMBER: _ClassVar[int]
    PURPOSE_FIELD_NUMBER: _ClassVar[int]
    DISBURSEMENT_ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    customer_id: int
    amount_requested: str
    currency: str
    term_months: int
    purpose: str
    disbursement_account_id: int
    def __init__(self, customer_id: _Optional[int] = ..., amount_requested: _Optional[str] = ..., currency: _Optional[str] = ..., term_months: _Optional[int] = ..., purpose: _Optional[str] = ..., disbursement_account_id: _Optional[int] = ...) -> None: ...

class ApplyForLoanResponse(_message.Message):
    __slots__ = ("loan_application",)
    LOAN_APPLICATION_FIELD_NUMBER: _ClassVar[int]
    loan_application: _loan_application_pb2.LoanApplication
    def __init__(self, loan_application: _Optional[_Union[_loan_application_pb2.LoanApplication, _Mapping]] = ...) -> None: ...

class GetLoanApplicationRequest(_message.Message):
    __slots__ = ("application_id",)
    APPLICATION_ID_FIELD_NUMBER: _ClassVar[int]
    application_id: int
    def __init__(self, application_id: _Optional[int] = ...) -> None: ...

class GetLoanApplicationResponse(_message.Message):
    __slots__ = ("loan_application", "decisions")
    LOAN_APPLICATION_FIELD_NUMBER: _ClassVar[int]
    DECISIONS_FIELD_NUMBER: _ClassVar[int]
    loan_application: _loan_application_pb2.LoanApplication
    decisions: _containers.RepeatedCompositeFieldContainer[_loan_application_pb2.LoanDecision]
    def __init__(self, loan_application: _Optional[_Union[_loan_application_pb2.LoanApplication, _Mapping]] = ..., decisions: _Optional[_Iterable[_Union[_loan_application_pb2.LoanDecision, _Mapping]]] = ...) -> None: ...

class ListCustomerLoanApplicationsRequest(_message.Message):
    __slots__ = ("customer_id", "status", "page_size", "page_token")
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    customer_id: int
    status: _loan_application_pb2.LoanApplicationStatus
    page_size: int
    page_token: str
    def __init__(self, customer_id: _Optional[int] = ..., status: _Optional[_Union[_loan_application_pb2.LoanApplicationStatus, str]] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListCustomerLoanApplicationsResponse(_message.Message):
    __slots__ = ("loan_applications", "next_page_token")
    LOAN_APPLICATIONS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    loan_applications: _containers.RepeatedCompositeFieldContainer[_loan_application_pb2.LoanApplication]
    next_page_token: str
    def __init__(self, loan_applications: _Optional[_Iterable[_Union[_loan_application_pb2.LoanApplication, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class GetLoanRequest(_message.Message):
    __slots__ = ("loan_id",)
    LOAN_ID_FIELD_NUMBER: _ClassVar[int]
    loan_id: int
    def __init__(self, loan_id: _Optional[int] = ...) -> None: ...

class GetLoanResponse(_message.Message):
    __slots__ = ("loan",)
    LOAN_FIELD_NUMBER: _ClassVar[int]
    loan: _loan_pb2.Loan
    def __init__(self, loan: _Optional[_Union[_loan_pb2.Loan, _Mapping]] = ...) -> None: ...

class ListLoanPaymentsRequest(_message.Message):
    __slots__ = ("loan_id", "page_size", "page_token")
    LOAN_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    loan_id: int
    page_size: int
    page_token: str
    def __init__(self, loan_id: _Optional[int] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListLoanPaymentsResponse(_message.Message):
    __slots__ = ("installments", "next_page_token")
    INSTALLMENTS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    installments: _containers.RepeatedCompositeFieldContainer[_loan_pb2.LoanInstallment]
    next_page_token: str
    def __init__(self, installments: _Optional[_Iterable[_Union[_loan_pb2.LoanInstallment, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class PayLoanInstallmentRequest(_message.Message):
    __slots__ = ("loan_id", "from_account_id", "amount", "currency", "idempotency_key")
    LOAN_ID_FIELD_NUMBER: _ClassVar[int]
    FROM_ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    loan_id: int
    from_account_id: int
    amount: str
    currency: str
    idempotency_key: str
    def __init__(self, loan_id: _Optional[int] = ..., from_account_id: _Optional[int] = ..., amount: _Optional[str] = ..., currency: _Optional[str] = ..., idempotency_key: _Optional[str] = ...) -> None: ...

class PayLoanInstallmentResponse(_message.Message):
    __slots__ = ("loan", "installments")
    LOAN_FIELD_NUMBER: _ClassVar[int]
    INSTALLMENTS_FIELD_NUMBER: _ClassVar[int]
    loan: _loan_pb2.Loan
    installments: _containers.RepeatedCompositeFieldContainer[_loan_pb2.LoanInstallment]
    def __init__(self, loan: _Optional[_Union[_loan_pb2.Loan, _Mapping]] = ..., installments: _Optional[_Iterable[_Union[_loan_pb2.LoanInstallment, _Mapping]]] = ...) -> None: ...

class DecideLoanApplicationRequest(_message.Message):
    __slots__ = ("application_id", "decision", "interest_rate", "comments")
    APPLICATION_ID_FIELD_NUMBER: _ClassVar[int]
    DECISION_FIELD_NUMBER: _ClassVar[int]
    INTEREST_RATE_FIELD_NUMBER: _ClassVar[int]
    COMMENTS_FIELD_NUMBER: _ClassVar[int]
    application_id: int
    decision: _loan_application_pb2.LoanApplicationStatus
    interest_rate: str
    comments: str
    def __init__(self, application_id: _Optional[int] = ..., decision: _Optional[_Union[_loan_application_pb2.LoanApplicationStatus, str]] = ..., interest_rate: _Optional[str] = ..., comments: _Optional[str] = ...) -> None: ...

class DecideLoanApplicationResponse(_message.Message):
    __slots__ = ("loan_application", "decision", "loan")
    LOAN_APPLICATION_FIELD_NUMBER: _ClassVar[int]
    DECISION_FIELD_NUMBER: _ClassVar[int]
    LOAN_FIELD_NUMBER: _ClassVar[int]
    loan_application: _loan_application_pb2.LoanApplication
    decision: _loan_application_pb2.LoanDecision
    loan: _loan_pb2.Loan
    def __init__(self, loan_application: _Optional[_Union[_loan_application_pb2.LoanApplication, _Mapping]] = ..., decision: _Optional[_Union[_loan_application_pb2.LoanDecision, _Mapping]] = ..., loan: _Optional[_Union[_loan_pb2.Loan, _Mapping]] = ...) -> None: ...
