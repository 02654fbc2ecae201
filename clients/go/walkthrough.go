package fidalex

import (
	"context"
	"fmt"

	accountv1 "github.com/fidalex/mesh/gen/go/fidalex/account/v1"
	transactionv1 "github.com/fidalex/mesh/gen/go/fidalex/transaction/v1"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// Credentials name a user to sign in as.
type Credentials struct{ Username, Password string }

// AdminFromEnv is the stack's bootstrap administrator (BOOTSTRAP_ADMIN_USERNAME and _PASSWORD
// as stack/env.sh sets them, else its dev-only defaults), who acts as staff and teller here.
func AdminFromEnv() Credentials {
	return Credentials{
		Username: envOr("BOOTSTRAP_ADMIN_USERNAME", "admin"),
		Password: envOr("BOOTSTRAP_ADMIN_PASSWORD", "Dev-Only-Root-Key-2026"),
	}
}

// Walkthrough is what the README's banking flow shows a new customer, read over gRPC.
type Walkthrough struct {
	CustomerID int64
	// The customer's two accounts: the teller deposits into the first, which pays the second.
	AccountIDs [2]int64
	Deposit    *transactionv1.Transaction
	// The transfer, and the answer to the same request sent again with the same idempotency key.
	Transfer, Replay *transactionv1.Transaction
	// The balances of both accounts after the transfer.
	Balances [2]*accountv1.AccountBalance
	// The first account's history, newest first.
	History []*transactionv1.Transaction
	// The error of a transfer of more than the balance: FAILED_PRECONDITION, reason
	// INSUFFICIENT_FUNDS (see ErrorReason).
	Refused error
}

// Deposit, Transfer and Overdraw are the walk-through's amounts, in USD.
const (
	DepositAmount  = "500.00"
	TransferAmount = "125.50"
	OverdrawAmount = "99999.00"
)

// RunWalkthrough runs the banking flow against the mesh at target as a new user named username:
// onboarding with a KYC check by admin, two accounts, a teller's deposit, a transfer sent twice
// under one idempotency key, balances and history, and a transfer refused for lack of funds.
func RunWalkthrough(ctx context.Context, target string, admin Credentials, username string) (*Walkthrough, error) {
	staff, err := Dial(target)
	if err != nil {
		return nil, err
	}
	defer staff.Close()
	if _, err := staff.Login(ctx, admin.Username, admin.Password); err != nil {
		return nil, fmt.Errorf("login %s: %w", admin.Username, err)
	}
	user, customerID, err := Onboard(ctx, target, staff, Person{
		Username:    username,
		Password:    "Correct-Horse-Battery-9",
		FirstName:   "Ada",
		LastName:    "Lovelace",
		DateOfBirth: "1990-12-10",
		Address:     &accountv1.Address{Line1: "1 Analytical Way", City: "London", Country: "GB"},
	})
	if err != nil {
		return nil, err
	}
	defer user.Close()
	w := &Walkthrough{CustomerID: customerID}

	for i := range w.AccountIDs {
		opened, err := user.Accounts.OpenAccount(ctx, &accountv1.OpenAccountRequest{
			CustomerId:  customerID,
			AccountType: accountv1.AccountType_ACCOUNT_TYPE_CHECKING,
			Currency:    "USD",
			BranchId:    1,
		})
		if err != nil {
			return nil, fmt.Errorf("open account: %w", err)
		}
		w.AccountIDs[i] = opened.GetAccount().GetAccountId()
	}
	from, to := w.AccountIDs[0], w.AccountIDs[1]

	deposited, err := staff.Transactions.Deposit(ctx, &transactionv1.DepositRequest{
		AccountId: from, Amount: DepositAmount, Currency: "USD", IdempotencyKey: fmt.Sprintf("dep-%d", from),
	})
	if err != nil {
		return nil, fmt.Errorf("deposit: %w", err)
	}
	w.Deposit = deposited.GetTransaction()

	transfer := &transactionv1.TransferRequest{
		FromAccountId: from, ToAccountId: to, Amount: TransferAmount, Currency: "USD",
		Description: "rent", IdempotencyKey: fmt.Sprintf("rent-%d", from),
	}
	if w.Transfer, err = transferOnce(ctx, user, transfer); err != nil {
		return nil, err
	}
	if w.Replay, err = transferOnce(ctx, user, transfer); err != nil {
		return nil, err
	}

	for i, id := range w.AccountIDs {
		res, err := user.Accounts.GetAccountBalance(ctx, &accountv1.GetAccountBalanceRequest{AccountId: id})
		if err != nil {
			return nil, fmt.Errorf("balance of %d: %w", id, err)
		}
		w.Balances[i] = res.GetAccountBalance()
	}
	history, err := user.Transactions.ListAccountTransactions(ctx, &transactionv1.ListAccountTransactionsRequest{
		AccountId: from, PageSize: 10,
	})
	if err != nil {
		return nil, fmt.Errorf("history of %d: %w", from, err)
	}
	w.History = history.GetTransactions()

	_, w.Refused = user.Transactions.Transfer(ctx, &transactionv1.TransferRequest{
		FromAccountId: from, ToAccountId: to, Amount: OverdrawAmount, Currency: "USD",
		IdempotencyKey: fmt.Sprintf("big-%d", from),
	})
	if status.Code(w.Refused) != codes.FailedPrecondition {
		return nil, fmt.Errorf("a transfer of %s USD from %s USD: want FAILED_PRECONDITION, got %v",
			OverdrawAmount, DepositAmount, w.Refused)
	}
	return w, nil
}

func transferOnce(ctx context.Context, user *Client, req *transactionv1.TransferRequest) (*transactionv1.Transaction, error) {
	res, err := user.Transactions.Transfer(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("transfer: %w", err)
	}
	return res.GetTransaction(), nil
}
