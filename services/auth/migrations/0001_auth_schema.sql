-- The Auth service's tables as the specification defines them (users, roles, user_roles,
-- refresh_tokens, password_reset_requests), with the columns and indexes the service adds marked
-- "Addition". Secrets are never stored: refresh_tokens.token and password_reset_requests.reset_token
-- hold the hex SHA-256 of the token the client received.

CREATE TABLE users (
  user_id          BIGSERIAL PRIMARY KEY,
  username         VARCHAR(50) NOT NULL UNIQUE,
  email            VARCHAR(100) NOT NULL UNIQUE,
  password_hash    TEXT NOT NULL,
  full_name        VARCHAR(150),
  phone_number     VARCHAR(20),
  is_active        BOOLEAN NOT NULL DEFAULT TRUE,
  created_at       TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  updated_at       TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  -- Addition: the Account service's customer this user is linked to (LinkCustomer); no foreign key,
  -- because customers live in another database.
  customer_id      BIGINT
);

CREATE INDEX idx_users_email ON users(email);

-- Addition: usernames and emails are unique regardless of case, so "Ada" cannot register beside
-- "ada", and logins and password resets look them up case-insensitively.
CREATE UNIQUE INDEX users_username_lower_key ON users (lower(username));
CREATE UNIQUE INDEX users_email_lower_key ON users (lower(email));

-- Addition: one login per customer, so a customer's money is reachable through one identity only.
CREATE UNIQUE INDEX users_customer_id_key ON users (customer_id) WHERE customer_id IS NOT NULL;

CREATE TABLE roles (
  role_id          SMALLSERIAL PRIMARY KEY,
  role_name        VARCHAR(50) NOT NULL UNIQUE,
  description      TEXT
);

-- The roles a user can hold (SERVICE is a token role of mesh services, never a user's).
INSERT INTO roles (role_name, description) VALUES
  ('CUSTOMER', 'Reaches only the data of the customer the user is linked to; every new user holds it.'),
  ('TELLER', 'Branch staff: reads all customers and accounts, makes deposits and KYC decisions.'),
  ('ADMIN', 'Back-office staff: everything a teller can do, plus role assignment and limits.');

CREATE TABLE user_roles (
  user_id          BIGINT NOT NULL,
  role_id          SMALLINT NOT NULL,
  assigned_at      TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  PRIMARY KEY (user_id, role_id),
  FOREIGN KEY (user_id) REFERENCES users(user_id) ON DELETE CASCADE,
  FOREIGN KEY (role_id) REFERENCES roles(role_id) ON DELETE CASCADE
);

-- Addition: finds the holders of a role (the last-admin guard counts the ADMINs).
CREATE INDEX idx_user_roles_role ON user_roles(role_id);

CREATE TABLE refresh_tokens (
  token_id         BIGSERIAL PRIMARY KEY,
  user_id          BIGINT NOT NULL,
  token            TEXT NOT NULL UNIQUE,
  expires_at       TIMESTAMPTZ NOT NULL,
  created_at       TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  revoked          BOOLEAN NOT NULL DEFAULT FALSE,
  -- Addition: the session (login) the token belongs to; every rotation stays in the family, and
  -- presenting a rotated token revokes the whole family.
  family_id        UUID NOT NULL,
  -- Addition: when the token was exchanged for its successor (NULL while it is the live token).
  used_at          TIMESTAMPTZ,
  -- Addition: the token that replaced this one at rotation.
  replaced_by      BIGINT REFERENCES refresh_tokens(token_id) ON DELETE SET NULL,
  FOREIGN KEY (user_id) REFERENCES users(user_id) ON DELETE CASCADE
);

CREATE INDEX idx_refresh_tokens_user ON refresh_tokens(user_id);
-- Addition: revoking a family touches all its tokens.
CREATE INDEX idx_refresh_tokens_family ON refresh_tokens(family_id);

CREATE TABLE password_reset_requests (
  request_id       BIGSERIAL PRIMARY KEY,
  user_id          BIGINT NOT NULL,
  reset_token      VARCHAR(200) NOT NULL UNIQUE,
  expires_at       TIMESTAMPTZ NOT NULL,
  created_at       TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  is_used          BOOLEAN NOT NULL DEFAULT FALSE,
  FOREIGN KEY (user_id) REFERENCES users(user_id) ON DELETE CASCADE
);

CREATE INDEX idx_prr_user ON password_reset_requests(user_id);
