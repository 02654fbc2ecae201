// Package fidalex is a small client of the Fidalex Bank mesh over gRPC, through its Envoy edge,
// with the stubs generated from the contracts (module github.com/fidalex/mesh/gen/go).
//
// A Client holds one connection and the signed-in user's tokens: every call carries the access
// token as "authorization: Bearer ..." metadata once Login has succeeded. Errors are gRPC
// statuses; ErrorReason reads the google.rpc.ErrorInfo reason a caller branches on, such as
// INSUFFICIENT_FUNDS.
package fidalex

import (
	"context"
	"errors"
	"net"
	"os"
	"sync"

	accountv1 "github.com/fidalex/mesh/gen/go/fidalex/account/v1"
	authv1 "github.com/fidalex/mesh/gen/go/fidalex/auth/v1"
	transactionv1 "github.com/fidalex/mesh/gen/go/fidalex/transaction/v1"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/status"
)

// DefaultTarget is the Envoy edge of the local stack: FIDALEX_HOST and FIDALEX_ENVOY_PORT as
// stack/env.sh sets them, 127.0.0.1:18080 when they are unset.
func DefaultTarget() string {
	return net.JoinHostPort(envOr("FIDALEX_HOST", "127.0.0.1"), envOr("FIDALEX_ENVOY_PORT", "18080"))
}

func envOr(name, fallback string) string {
	if value := os.Getenv(name); value != "" {
		return value
	}
	return fallback
}

// Client calls the mesh as one user. It is safe for concurrent use.
type Client struct {
	conn  *grpc.ClientConn
	creds *bearer

	Auth         authv1.AuthServiceClient
	Customers    accountv1.CustomerServiceClient
	Accounts     accountv1.AccountServiceClient
	Transactions transactionv1.TransactionServiceClient
	Health       healthpb.HealthClient
}

// Dial opens a client of the mesh at target (host:port of Envoy), over plaintext HTTP/2 as the
// local stack serves it; extra options are passed to grpc.NewClient.
func Dial(target string, opts ...grpc.DialOption) (*Client, error) {
	creds := &bearer{}
	opts = append([]grpc.DialOption{
		grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithPerRPCCredentials(creds),
	}, opts...)
	conn, err := grpc.NewClient(target, opts...)
	if err != nil {
		return nil, err
	}
	return &Client{
		conn:         conn,
		creds:        creds,
		Auth:         authv1.NewAuthServiceClient(conn),
		Customers:    accountv1.NewCustomerServiceClient(conn),
		Accounts:     accountv1.NewAccountServiceClient(conn),
		Transactions: transactionv1.NewTransactionServiceClient(conn),
		Health:       healthpb.NewHealthClient(conn),
	}, nil
}

// Close closes the connection.
func (c *Client) Close() error { return c.conn.Close() }

// Login signs the user in (a public RPC) and sends the access token with every later call.
func (c *Client) Login(ctx context.Context, username, password string) (*authv1.AuthTokens, error) {
	res, err := c.Auth.Login(ctx, &authv1.LoginRequest{Username: username, Password: password})
	if err != nil {
		return nil, err
	}
	c.creds.set(res.GetTokens())
	return res.GetTokens(), nil
}

// Refresh exchanges the refresh token for new tokens, e.g. once the user's customer record is
// linked, so that the access token carries the link.
func (c *Client) Refresh(ctx context.Context) (*authv1.AuthTokens, error) {
	refreshToken := c.creds.refreshToken()
	if refreshToken == "" {
		return nil, errNotSignedIn
	}
	res, err := c.Auth.RefreshToken(ctx, &authv1.RefreshTokenRequest{RefreshToken: refreshToken})
	if err != nil {
		return nil, err
	}
	c.creds.set(res.GetTokens())
	return res.GetTokens(), nil
}

// ErrorInfo returns the google.rpc.ErrorInfo in a gRPC error's status details, or nil.
func ErrorInfo(err error) *errdetails.ErrorInfo {
	st, ok := status.FromError(err)
	if !ok {
		return nil
	}
	for _, detail := range st.Details() {
		if info, ok := detail.(*errdetails.ErrorInfo); ok {
			return info
		}
	}
	return nil
}

// ErrorReason returns the ErrorInfo reason of a gRPC error (e.g. "INSUFFICIENT_FUNDS"), or "".
func ErrorReason(err error) string {
	return ErrorInfo(err).GetReason()
}

// errNotSignedIn is returned by Refresh before Login.
var errNotSignedIn = errors.New("fidalex: not signed in")

// bearer sends the current access token as per-RPC metadata.
type bearer struct {
	mu     sync.RWMutex
	tokens *authv1.AuthTokens
}

func (b *bearer) set(tokens *authv1.AuthTokens) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.tokens = tokens
}

func (b *bearer) refreshToken() string {
	b.mu.RLock()
	defer b.mu.RUnlock()
	return b.tokens.GetRefreshToken()
}

func (b *bearer) GetRequestMetadata(context.Context, ...string) (map[string]string, error) {
	b.mu.RLock()
	defer b.mu.RUnlock()
	if b.tokens == nil {
		return nil, nil
	}
	return map[string]string{"authorization": "Bearer " + b.tokens.GetAccessToken()}, nil
}

// RequireTransportSecurity is false: the local stack's edge is plaintext HTTP/2.
func (b *bearer) RequireTransportSecurity() bool { return false }
