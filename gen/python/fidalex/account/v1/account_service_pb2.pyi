from buf.validate import validate_pb2 as _validate_pb2
from fidalex.account.v1 import account_pb2 as _account_pb2
from fidalex.account.v1 import branch_pb2 as _branch_pb2
from fidalex.type.v1 import approval_pb2 as _approval_pb2
from fidalex.type.v1 import rules_pb2 as _rules_pb2
from google.api import annotations_pb2 as _annotations_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class GetAccountRequest(_message.Message):
    __slots__ = ("account_id",)
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    account_id: int
    def __init__(self, account_id: _Optional[int] = ...) -> None: ...

class GetAccountResponse(_message.Message):
    __slots__ = ("account",)
    ACCOUNT_FIELD_NUMBER: _ClassVar[int]
    account: _account_pb2.Account
    def __init__(self, account: _Optional[_Union[_account_pb2.Account, _Mapping]] = ...) -> None: ...

class OpenAccountRequest(_message.Message):
    __slots__ = ("customer_id", "account_type", "currency", "branch_id", "overdraft_limit", "daily_withdrawal_limit", "notifications_enabled")
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_TYPE_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    BRANCH_ID_FIELD_NUMBER: _ClassVar[int]
    OVERDRAFT_LIMIT_FIELD_NUMBER: _ClassVar[int]
    DAILY_WITHDRAWAL_LIMIT_FIELD_NUMBER: _ClassVar[int]
    NOTIFICATIONS_ENABLED_FIELD_NUMBER: _ClassVar[int]
    customer_id: int
    account_type: _account_pb2.AccountType
    currency: str
    branch_id: int
    overdraft_limit: str
    daily_withdrawal_limit: str
    notifications_enabled: bool
    def __init__(self, customer_id: _Optional[int] = ..., account_type: _Optional[_Union[_account_pb2.AccountType, str]] = ..., currency: _Optional[str] = ..., branch_id: _Optional[int] = ..., overdraft_limit: _Optional[str] = ..., daily_withdrawal_limit: _Optional[str] = ..., notifications_enabled: _Optional[bool] = ...) -> None: ...

class OpenAccountResponse(_message.Message):
    __slots__ = ("account", "settings")
    ACCOUNT_FIELD_NUMBER: _ClassVar[int]
    SETTINGS_FIELD_NUMBER: _ClassVar[int]
    account: _account_pb2.Account
    settings: _account_pb2.AccountSettings
    def __init__(self, account: _Optional[_Union[_account_pb2.Account, _Mapping]] = ..., settings: _Optional[_Union[_account_pb2.AccountSettings, _Mapping]] = ...) -> None: ...

class UpdateAccountStatusRequest(_message.Message):
    __slots__ = ("account_id", "status", "reason")
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    account_id: int
    status: _account_pb2.AccountStatus
    reason: str
    def __init__(self, account_id: _Optional[int] = ..., status: _Optional[_Union[_account_pb2.AccountStatus, str]] = ..., reason: _Optional[str] = ...) -> None: ...

class UpdateAccountStatusResponse(_message.Message):
    __slots__ = ("account",)
    ACCOUNT_FIELD_NUMBER: _ClassVar[int]
    account: _account_pb2.Account
    def __init__(self, account: _Optional[_Union[_account_pb2.Account, _Mapping]] = ...) -> None: ...

class GetAccountBalanceRequest(_message.Message):
    __slots__ = ("account_id",)
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    account_id: int
    def __init__(self, account_id: _Optional[int] = ...) -> None: ...

class GetAccountBalanceResponse(_message.Message):
    __slots__ = ("account_balance",)
    ACCOUNT_BALANCE_FIELD_NUMBER: _ClassVar[int]
    account_balance: _account_pb2.AccountBalance
    def __init__(self, account_balance: _Optional[_Union[_account_pb2.AccountBalance, _Mapping]] = ...) -> None: ...

class GetAccountSettingsRequest(_message.Message):
    __slots__ = ("account_id",)
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    account_id: int
    def __init__(self, account_id: _Optional[int] = ...) -> None: ...

class GetAccountSettingsResponse(_message.Message):
    __slots__ = ("settings",)
    SETTINGS_FIELD_NUMBER: _ClassVar[int]
    settings: _account_pb2.AccountSettings
    def __init__(self, settings: _Optional[_Union[_account_pb2.AccountSettings, _Mapping]] = ...) -> None: ...

class UpdateAccountSettingsRequest(_message.Message):
    __slots__ = ("account_id", "overdraft_limit", "daily_withdrawal_limit", "notifications_enabled")
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    OVERDRAFT_LIMIT_FIELD_NUMBER: _ClassVar[int]
    DAILY_WITHDRAWAL_LIMIT_FIELD_NUMBER: _ClassVar[int]
    NOTIFICATIONS_ENABLED_FIELD_NUMBER: _ClassVar[int]
    account_id: int
    overdraft_limit: str
    daily_withdrawal_limit: str
    notifications_enabled: bool
    def __init__(self, account_id: _Optional[int] = ..., overdraft_limit: _Optional[str] = ..., daily_withdrawal_limit: _Optional[str] = ..., notifications_enabled: _Optional[bool] = ...) -> None: ...

class UpdateAccountSettingsResponse(_message.Message):
    __slots__ = ("settings", "approval")
    SETTINGS_FIELD_NUMBER: _ClassVar[int]
    APPROVAL_FIELD_NUMBER: _ClassVar[int]
    settings: _account_pb2.AccountSettings
    approval: _approval_pb2.Approval
    def __init__(self, settings: _Optional[_Union[_account_pb2.AccountSettings, _Mapping]] = ..., approval: _Optional[_Union[_approval_pb2.Approval, _Mapping]] = ...) -> None: ...

class ApproveSettingsChangeRequest(_message.Message):
    __slots__ = ("account_id", "approval_id")
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    APPROVAL_ID_FIELD_NUMBER: _ClassVar[int]
    account_id: int
    approval_id: int
    def __init__(self, account_id: _Optional[int] = ..., approval_id: _Optional[int] = ...) -> None: ...

class ApproveSettingsChangeResponse(_message.Message):
    __slots__ = ("settings", "approval")
    SETTINGS_FIELD_NUMBER: _ClassVar[int]
    APPROVAL_FIELD_NUMBER: _ClassVar[int]
    settings: _account_pb2.AccountSettings
    approval: _approval_pb2.Approval
    def __init__(self, settings: _Optional[_Union[_account_pb2.AccountSettings, _Mapping]] = ..., approval: _Optional[_Union[_approval_pb2.Approval, _Mapping]] = ...) -> None: ...

class RejectSettingsChangeRequest(_message.Message):
    __slots__ = ("account_id", "approval_id")
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    APPROVAL_ID_FIELD_NUMBER: _ClassVar[int]
    account_id: int
    approval_id: int
    def __init__(self, account_id: _Optional[int] = ..., approval_id: _Optional[int] = ...) -> None: ...

class RejectSettingsChangeResponse(_message.Message):
    __slots__ = ("approval",)
    APPROVAL_FIELD_NUMBER: _ClassVar[int]
    approval: _approval_pb2.Approval
    def __init__(self, approval: _Optional[_Union[_approval_pb2.Approval, _Mapping]] = ...) -> None: ...

class ListCustomerAccountsRequest(_message.Message):
    __slots__ = ("customer_id", "page_size", "page_token", "status")
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    customer_id: int
    page_size: int
    page_token: str
    status: _account_pb2.AccountStatus
    def __init__(self, customer_id: _Optional[int] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ..., status: _Optional[_Union[_account_pb2.AccountStatus, str]] = ...) -> None: ...

class ListCustomerAccountsResponse(_message.Message):
    __slots__ = ("accounts", "next_page_token")
    ACCOUNTS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    accounts: _containers.RepeatedCompositeFieldContainer[_account_pb2.Account]
    next_page_token: str
    def __init__(self, accounts: _Optional[_Iterable[_Union[_account_pb2.Account, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class ListAccountLogsRequest(_message.Message):
    __slots__ = ("account_id", "page_size", "page_token")
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    account_id: int
    page_size: int
    page_token: str
    def __init__(self, account_id: _Optional[int] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListAccountLogsResponse(_message.Message):
    __slots__ = ("logs", "next_page_token")
    LOGS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    logs: _containers.RepeatedCompositeFieldContainer[_account_pb2.AccountLog]
    next_page_token: str
    def __init__(self, logs: _Optional[_Iterable[_Union[_account_pb2.AccountLog, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class ListBranchesRequest(_message.Message):
    __slots__ = ("page_size", "page_token")
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListBranchesResponse(_message.Message):
    __slots__ = ("branches", "next_page_token")
    BRANCHES_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    branches: _containers.RepeatedCompositeFieldContainer[_branch_pb2.Branch]
    next_page_token: str
    def __init__(self, branches: _Optional[_Iterable[_Union[_branch_pb2.Branch, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...
