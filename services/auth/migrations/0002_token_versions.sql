-- Revocation of access tokens within seconds: each access token carries the user's token version
-- at issue (claim `ver`); role revocation, logout, a password reset and the reuse of a rotated
-- refresh token raise it, and the services refuse tokens below the version the Auth service
-- publishes to Redis (services/runtime/token-revocation.ts). This column is the record of truth.
ALTER TABLE users ADD COLUMN token_version INTEGER NOT NULL DEFAULT 0;
