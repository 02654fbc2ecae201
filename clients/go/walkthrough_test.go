package fidalex_test

// These tests run against the live mesh (npm start, or .ci/run once the stack is up), through
// Envoy at fidalex.DefaultTarget().

import (
	"context"
	"fmt"
	"testing"
	"time"

	fidalex "github.com/fidalex/mesh/clients/go"
	transactionv1 "github.com/fidalex/mesh/gen/go/fidalex/transaction/v1"
	"google.golang.org/grpc/codes"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/status"
)

func TestWalkthrough(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	target := fidalex.DefaultTarget()
	requireMesh(ctx, t, target)

	w, err := fidalex.RunWalkthrough(ctx, target, fidalex.AdminFromEnv(), fmt.Sprintf("go%d", time.Now().UnixNano()))
	if err != nil {
		t.Fatal(err)
	}

	if w.Deposit.GetStatus() != transactionv1.TransactionStatus_TRANSACTION_STATUS_SUCCESS {
		t.Errorf("deposit status = %v, want SUCCESS", w.Deposit.GetStatus())
	}
	if w.Transfer.GetStatus() != transactionv1.TransactionStatus_TRANSACTION_STATUS_SUCCESS {
		t.Errorf("transfer status = %v, want SUCCESS", w.Transfer.GetStatus())
	}
	if w.Replay.GetTransactionId() != w.Transfer.GetTransactionId() {
		t.Errorf("the replay returned transaction %d, want the first transfer's %d",
			w.Replay.GetTransactionId(), w.Transfer.GetTransactionId())
	}

	// 500.00 in, 125.50 across, once: the replay moved nothing.
	for i, want := range []string{"374.50", "125.50"} {
		b := w.Balances[i]
		if b.GetAccountId() != w.AccountIDs[i] || b.GetBalance() != want || b.GetCurrency() != "USD" {
			t.Errorf("balance of account %d = %d %s %s, want %s USD",
				w.AccountIDs[i], b.GetAccountId(), b.GetBalance(), b.GetCurrency(), want)
		}
	}

	got := make([]string, 0, len(w.History))
	for _, tx := range w.History {
		got = append(got, fmt.Sprintf("%d %s %s", tx.GetTransactionId(), tx.GetTransactionType(), tx.GetAmount()))
	}
	want := []string{
		fmt.Sprintf("%d TRANSACTION_TYPE_TRANSFER 125.50", w.Transfer.GetTransactionId()),
		fmt.Sprintf("%d TRANSACTION_TYPE_DEPOSIT 500.00", w.Deposit.GetTransactionId()),
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("history of the first account = %q, want %q (newest first)", got, want)
	}

	if code := status.Code(w.Refused); code != codes.FailedPrecondition {
		t.Errorf("overdrawing transfer: code %v, want FailedPrecondition", code)
	}
	info := fidalex.ErrorInfo(w.Refused)
	if info.GetReason() != "INSUFFICIENT_FUNDS" || info.GetDomain() != "fidalex.bank" {
		t.Errorf("overdrawing transfer: ErrorInfo %v, want reason INSUFFICIENT_FUNDS in domain fidalex.bank", info)
	}
}

func TestErrorReasonOfOtherErrors(t *testing.T) {
	if got := fidalex.ErrorReason(nil); got != "" {
		t.Errorf("ErrorReason(nil) = %q", got)
	}
	if got := fidalex.ErrorReason(status.Error(codes.Unavailable, "down")); got != "" {
		t.Errorf("ErrorReason of a status without details = %q", got)
	}
}

// requireMesh stops the test with a hint when nothing answers at target.
func requireMesh(ctx context.Context, t *testing.T, target string) {
	t.Helper()
	c, err := fidalex.Dial(target)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	res, err := c.Health.Check(ctx, &healthpb.HealthCheckRequest{})
	if err != nil || res.GetStatus() != healthpb.HealthCheckResponse_SERVING {
		t.Fatalf("the mesh does not answer at %s (start it: npm start): %v %v", target, res.GetStatus(), err)
	}
}
