from buf.validate import validate_pb2 as _validate_pb2
from fidalex.insights.v1 import account_balance_snapshot_pb2 as _account_balance_snapshot_pb2
from fidalex.insights.v1 import customer_growth_pb2 as _customer_growth_pb2
from fidalex.insights.v1 import daily_branch_summary_pb2 as _daily_branch_summary_pb2
from fidalex.insights.v1 import freshness_pb2 as _freshness_pb2
from fidalex.insights.v1 import loan_report_pb2 as _loan_report_pb2
from fidalex.insights.v1 import transaction_fact_pb2 as _transaction_fact_pb2
from fidalex.type.v1 import rules_pb2 as _rules_pb2
from google.api import annotations_pb2 as _annotations_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class GetDailySummaryRequest(_message.Message):
    __slots__ = ("date", "page_size", "page_token")
    DATE_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    date: str
    page_size: int
    page_token: str
    def __init__(self, date: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class GetDailySummaryResponse(_message.Message):
    __slots__ = ("daily_branch_summaries", "next_page_token", "freshness")
    DAILY_BRANCH_SUMMARIES_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    FRESHNESS_FIELD_NUMBER: _ClassVar[int]
    daily_branch_summaries: _containers.RepeatedCompositeFieldContainer[_daily_branch_summary_pb2.DailyBranchSummary]
    next_page_token: str
    freshness: _freshness_pb2.Freshness
    def __init__(self, daily_branch_summaries: _Optional[_Iterable[_Union[_daily_branch_summary_pb2.DailyBranchSummary, _Mapping]]] = ..., next_page_token: _Optional[str] = ..., freshness: _Optional[_Union[_freshness_pb2.Freshness, _Mapping]] = ...) -> None: ...

class ListTransactionFactsRequest(_message.Message):
    __slots__ = ("start", "end", "branch_id", "page_size", "page_token")
    START_FIELD_NUMBER: _ClassVar[int]
    END_FIELD_NUMBER: _ClassVar[int]
    BRANCH_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    start: str
    end: str
    branch_id: int
    page_size: int
    page_token: str
    def __init__(self, start: _Optional[str] = ..., end: _Optional[str] = ..., branch_id: _Optional[int] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListTransactionFactsResponse(_message.Message):
    __slots__ = ("transaction_facts", "next_page_token", "freshness")
    TRANSACTION_FACTS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    FRESHNESS_FIELD_NUMBER: _ClassVar[int]
    transaction_facts: _containers.RepeatedCompositeFieldContainer[_transaction_fact_pb2.TransactionFact]
    next_page_token: str
    freshness: _freshness_pb2.Freshness
    def __init__(self, transaction_facts: _Optional[_Iterable[_Union[_transaction_fact_pb2.TransactionFact, _Mapping]]] = ..., next_page_token: _Optional[str] = ..., freshness: _Optional[_Union[_freshness_pb2.Freshness, _Mapping]] = ...) -> None: ...

class GetAccountsReportRequest(_message.Message):
    __slots__ = ("date", "page_size", "page_token")
    DATE_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    date: str
    page_size: int
    page_token: str
    def __init__(self, date: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class GetAccountsReportResponse(_message.Message):
    __slots__ = ("account_balance_snapshots", "totals", "next_page_token", "freshness")
    ACCOUNT_BALANCE_SNAPSHOTS_FIELD_NUMBER: _ClassVar[int]
    TOTALS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    FRESHNESS_FIELD_NUMBER: _ClassVar[int]
    account_balance_snapshots: _containers.RepeatedCompositeFieldContainer[_account_balance_snapshot_pb2.AccountBalanceSnapshot]
    totals: _containers.RepeatedCompositeFieldContainer[_account_balance_snapshot_pb2.AccountBalanceTotal]
    next_page_token: str
    freshness: _freshness_pb2.Freshness
    def __init__(self, account_balance_snapshots: _Optional[_Iterable[_Union[_account_balance_snapshot_pb2.AccountBalanceSnapshot, _Mapping]]] = ..., totals: _Optional[_Iterable[_Union[_account_balance_snapshot_pb2.AccountBalanceTotal, _Mapping]]] = ..., next_page_token: _Optional[str] = ..., freshness: _Optional[_Union[_freshness_pb2.Freshness, _Mapping]] = ...) -> None: ...

class GetLoansReportRequest(_message.Message):
    __slots__ = ("start", "end")
    START_FIELD_NUMBER: _ClassVar[int]
    END_FIELD_NUMBER: _ClassVar[int]
    start: str
    end: str
    def __init__(self, start: _Optional[str] = ..., end: _Optional[str] = ...) -> None: ...

class GetLoansReportResponse(_message.Message):
    __slots__ = ("loan_reports", "freshness")
    LOAN_REPORTS_FIELD_NUMBER: _ClassVar[int]
    FRESHNESS_FIELD_NUMBER: _ClassVar[int]
    loan_reports: _containers.RepeatedCompositeFieldContainer[_loan_report_pb2.LoanReport]
    freshness: _freshness_pb2.Freshness
    def __init__(self, loan_reports: _Optional[_Iterable[_Union[_loan_report_pb2.LoanReport, _Mapping]]] = ..., freshness: _Optional[_Union[_freshness_pb2.Freshness, _Mapping]] = ...) -> None: ...

class GetCustomersGrowthRequest(_message.Message):
    __slots__ = ("start", "end", "granularity", "page_size", "page_token")
    START_FIELD_NUMBER: _ClassVar[int]
    END_FIELD_NUMBER: _ClassVar[int]
    GRANULARITY_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    start: str
    end: str
    granularity: _customer_growth_pb2.Granularity
    page_size: int
    page_token: str
    def __init__(self, start: _Optional[str] = ..., end: _Optional[str] = ..., granularity: _Optional[_Union[_customer_growth_pb2.Granularity, str]] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class GetCustomersGrowthResponse(_message.Message):
    __slots__ = ("periods", "next_page_token", "freshness")
    PERIODS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    FRESHNESS_FIELD_NUMBER: _ClassVar[int]
    periods: _containers.RepeatedCompositeFieldContainer[_customer_growth_pb2.CustomerGrowth]
    next_page_token: str
    freshness: _freshness_pb2.Freshness
    def __init__(self, periods: _Optional[_Iterable[_Union[_customer_growth_pb2.CustomerGrowth, _Mapping]]] = ..., next_page_token: _Optional[str] = ..., freshness: _Optional[_Union[_freshness_pb2.Freshness, _Mapping]] = ...) -> None: ...
