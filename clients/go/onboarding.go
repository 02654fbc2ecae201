package fidalex

import (
	"context"
	"fmt"

	accountv1 "github.com/fidalex/mesh/gen/go/fidalex/account/v1"
	authv1 "github.com/fidalex/mesh/gen/go/fidalex/auth/v1"
)

// Person is who Onboard makes a bank customer of.
type Person struct {
	Username, Password  string
	FirstName, LastName string
	DateOfBirth         string // YYYY-MM-DD
	Address             *accountv1.Address
}

// Onboard makes a KYC-verified bank customer of a new user, as the README's walk-through does:
// it registers the user and signs them in, creates their customer record, has staff (a client
// signed in as a teller or admin) verify the KYC, and refreshes the user's tokens so that they
// carry the link to the record. It returns the user's client and customer id.
func Onboard(ctx context.Context, target string, staff *Client, p Person) (*Client, int64, error) {
	user, err := Dial(target)
	if err != nil {
		return nil, 0, err
	}
	customerID, err := onboard(ctx, user, staff, p)
	if err != nil {
		_ = user.Close()
		return nil, 0, err
	}
	return user, customerID, nil
}

func onboard(ctx context.Context, user, staff *Client, p Person) (int64, error) {
	if _, err := user.Auth.Register(ctx, &authv1.RegisterRequest{
		Username: p.Username,
		Email:    p.Username + "@example.com",
		Password: p.Password,
		FullName: p.FirstName + " " + p.LastName,
	}); err != nil {
		return 0, fmt.Errorf("register %s: %w", p.Username, err)
	}
	if _, err := user.Login(ctx, p.Username, p.Password); err != nil {
		return 0, fmt.Errorf("login %s: %w", p.Username, err)
	}
	created, err := user.Customers.CreateCustomer(ctx, &accountv1.CreateCustomerRequest{
		FirstName:   p.FirstName,
		LastName:    p.LastName,
		DateOfBirth: p.DateOfBirth,
		Address:     p.Address,
	})
	if err != nil {
		return 0, fmt.Errorf("create customer: %w", err)
	}
	customerID := created.GetCustomer().GetCustomerId()
	if _, err := staff.Customers.VerifyCustomerKyc(ctx, &accountv1.VerifyCustomerKycRequest{
		CustomerId: customerID,
		Decision:   accountv1.KycStatus_KYC_STATUS_VERIFIED,
		Comment:    "passport checked",
		Documents:  []string{"passport"},
	}); err != nil {
		return 0, fmt.Errorf("verify KYC of customer %d: %w", customerID, err)
	}
	if _, err := user.Refresh(ctx); err != nil {
		return 0, fmt.Errorf("refresh: %w", err)
	}
	return customerID, nil
}
