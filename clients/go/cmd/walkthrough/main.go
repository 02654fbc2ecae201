// Command walkthrough runs the README's banking flow over gRPC through Envoy as a new customer and
// prints what the customer sees. The mesh must be running (npm start); FIDALEX_HOST,
// FIDALEX_ENVOY_PORT and BOOTSTRAP_ADMIN_* are read as stack/env.sh sets them.
//
//	go run ./cmd/walkthrough
package main

import (
	"context"
	"fmt"
	"log"
	"time"

	fidalex "github.com/fidalex/mesh/clients/go"
	"google.golang.org/grpc/status"
)

func main() {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	username := fmt.Sprintf("gowalk%d", time.Now().UnixNano())
	w, err := fidalex.RunWalkthrough(ctx, fidalex.DefaultTarget(), fidalex.AdminFromEnv(), username)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("customer %d (%s), accounts %d and %d\n", w.CustomerID, username, w.AccountIDs[0], w.AccountIDs[1])
	fmt.Printf("deposit:  transaction %d, %s %s\n", w.Deposit.GetTransactionId(), w.Deposit.GetAmount(), w.Deposit.GetStatus())
	fmt.Printf("transfer: transaction %d, %s %s\n", w.Transfer.GetTransactionId(), w.Transfer.GetAmount(), w.Transfer.GetStatus())
	fmt.Printf("replay:   transaction %d (the same key returns the first result)\n", w.Replay.GetTransactionId())
	for _, b := range w.Balances {
		fmt.Printf("balance of %d: %s %s\n", b.GetAccountId(), b.GetBalance(), b.GetCurrency())
	}
	for _, t := range w.History {
		fmt.Printf("history of %d: %d %s %s %s\n", w.AccountIDs[0], t.GetTransactionId(), t.GetTransactionType(), t.GetAmount(), t.GetStatus())
	}
	st := status.Convert(w.Refused)
	fmt.Printf("a transfer of %s: %s, reason %s (%s)\n", fidalex.OverdrawAmount, st.Code(), fidalex.ErrorReason(w.Refused), st.Message())
}
