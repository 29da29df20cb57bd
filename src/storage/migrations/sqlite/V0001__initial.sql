-- tfa schema, version 1 (SQLite). Times are Unix seconds. Secrets are sealed (AEAD, bound to
-- table, column and row id); codes and tokens are stored only as hashes.

CREATE TABLE users (
  id            INTEGER PRIMARY KEY,
  name          TEXT    NOT NULL,
  email         TEXT    NOT NULL,
  password_hash TEXT    NOT NULL,            -- Argon2id PHC string
  disabled      INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL
);
CREATE UNIQUE INDEX users_name_key ON users (lower(name));

-- Second factors: TOTP apps, YubiKeys (Yubico OTP) and security keys (WebAuthn).
CREATE TABLE factors (
  id            INTEGER PRIMARY KEY,
  user_id       INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  kind          TEXT    NOT NULL CHECK (kind IN ('totp', 'yubico', 'webauthn')),
  label         TEXT    NOT NULL DEFAULT '',
  params        TEXT    NOT NULL DEFAULT '{}',  -- JSON: algorithm/digits/period, COSE key, ...
  public_id     TEXT,                           -- Yubico public ID or WebAuthn credential ID
  sealed_secret BLOB,                           -- TOTP key; NULL for kinds without a secret
  status        TEXT    NOT NULL CHECK (status IN ('pending', 'confirmed')),
  last_counter  INTEGER,                        -- last accepted TOTP step / Yubico or WebAuthn counter
  drift_steps   INTEGER NOT NULL DEFAULT 0,     -- TOTP: offset of the last accepted step
  created_at    INTEGER NOT NULL,
  confirmed_at  INTEGER,
  expires_at    INTEGER,                        -- pending factors expire
  last_used_at  INTEGER
);
CREATE INDEX factors_user ON factors (user_id);
CREATE UNIQUE INDEX factors_public_id ON factors (kind, public_id) WHERE public_id IS NOT NULL;

CREATE TABLE backup_codes (
  id         INTEGER PRIMARY KEY,
  user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  code_hash  BLOB    NOT NULL,
  created_at INTEGER NOT NULL,
  used_at    INTEGER
);
CREATE INDEX backup_codes_user ON backup_codes (user_id);

-- Console sessions, through every step of sign-in. The id is a random token; only its hash is kept.
CREATE TABLE sessions (
  id_hash        BLOB    PRIMARY KEY,
  user_id        INTEGER REFERENCES users (id) ON DELETE CASCADE,
  stage          TEXT    NOT NULL,              -- e.g. 'anonymous', 'password', 'complete'
  data           TEXT    NOT NULL DEFAULT '{}', -- JSON: CSRF token hash, pending enrollment, ...
  reauth_at      INTEGER,                       -- last password re-confirmation
  client_address TEXT    NOT NULL DEFAULT '',
  user_agent     TEXT    NOT NULL DEFAULT '',
  created_at     INTEGER NOT NULL,
  last_seen_at   INTEGER NOT NULL,
  expires_at     INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expiry ON sessions (expires_at);

CREATE TABLE trusted_devices (
  id           INTEGER PRIMARY KEY,
  user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  token_hash   BLOB    NOT NULL UNIQUE,
  user_agent   TEXT    NOT NULL DEFAULT '',
  created_at   INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  expires_at   INTEGER NOT NULL
);
CREATE INDEX trusted_devices_user ON trusted_devices (user_id);

-- API bearer tokens from sign-in ('session') and named API keys for automation ('key').
CREATE TABLE api_tokens (
  id           INTEGER PRIMARY KEY,
  user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  kind         TEXT    NOT NULL CHECK (kind IN ('session', 'key')),
  name         TEXT    NOT NULL DEFAULT '',
  token_hash   BLOB    NOT NULL UNIQUE,
  created_at   INTEGER NOT NULL,
  expires_at   INTEGER,
  last_used_at INTEGER,
  revoked_at   INTEGER
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

-- One-time tokens sent by e-mail (e.g. to turn 2FA off after losing the phone).
CREATE TABLE email_tokens (
  id         INTEGER PRIMARY KEY,
  user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  purpose    TEXT    NOT NULL,
  token_hash BLOB    NOT NULL UNIQUE,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at    INTEGER
);
CREATE INDEX email_tokens_user ON email_tokens (user_id);

-- Throttling state per key, e.g. 'account:42:otp' or 'address:203.0.113.7:password'.
CREATE TABLE throttle (
  key           TEXT    PRIMARY KEY,
  failures      INTEGER NOT NULL DEFAULT 0,
  window_start  INTEGER NOT NULL,
  blocked_until INTEGER NOT NULL DEFAULT 0,
  updated_at    INTEGER NOT NULL
);

-- The audit log outlives the accounts it names, so user_id is not a foreign key.
CREATE TABLE audit_events (
  id             INTEGER PRIMARY KEY,
  at             INTEGER NOT NULL,
  user_id        INTEGER,
  username       TEXT    NOT NULL DEFAULT '',
  event          TEXT    NOT NULL,
  outcome        TEXT    NOT NULL,
  client_address TEXT    NOT NULL DEFAULT '',
  user_agent     TEXT    NOT NULL DEFAULT '',
  detail         TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX audit_events_user ON audit_events (user_id, at);
CREATE INDEX audit_events_at ON audit_events (at);

-- YubiKeys known to this server for local Yubico OTP validation (imported by the operator).
CREATE TABLE yubikeys (
  public_id     TEXT    PRIMARY KEY,            -- modhex
  sealed_secret BLOB    NOT NULL,               -- private ID and AES key, sealed
  last_counter  INTEGER,                        -- usage counter << 8 | session counter
  created_at    INTEGER NOT NULL
);

-- Clients of tfa's own Yubico validation server (/wsapi/2.0/verify).
CREATE TABLE yubico_clients (
  id            INTEGER PRIMARY KEY,
  name          TEXT    NOT NULL DEFAULT '',
  sealed_secret BLOB    NOT NULL,               -- the HMAC-SHA1 API key, sealed
  created_at    INTEGER NOT NULL,
  revoked_at    INTEGER
);
