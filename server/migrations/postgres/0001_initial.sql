-- The sync server's schema on PostgreSQL. Times are Unix milliseconds (UTC). Append-only: a change is a new
-- file, listed in server/src/store/migrations.rs (and its SQLite twin beside this folder).
CREATE TABLE users (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,           -- Argon2id, PHC string
    totp_secret   BYTEA,                    -- the confirmed second factor
    totp_pending  BYTEA,                    -- enrolled, not yet confirmed
    totp_step     BIGINT NOT NULL DEFAULT 0, -- the last time step a code was used in (replays refused)
    created_at    BIGINT NOT NULL
);

CREATE TABLE recovery_codes (
    user_id   BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    code_hash BYTEA NOT NULL,               -- SHA-256 of a random code
    PRIMARY KEY (user_id, code_hash)
);

CREATE TABLE sessions (
    token_hash BYTEA PRIMARY KEY,           -- SHA-256 of the bearer token; the token itself is never stored
    user_id    BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (user_id);

CREATE TABLE login_failures (
    key TEXT NOT NULL,                     -- 'user:<name>' or 'address:<ip>'
    at  BIGINT NOT NULL
);
CREATE INDEX login_failures_by_key ON login_failures (key, at);

CREATE TABLE audit (
    id      BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    at      BIGINT NOT NULL,
    event   TEXT NOT NULL,
    address TEXT NOT NULL,
    subject TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_by_user ON audit (user_id, id);

CREATE TABLE vaults (
    id         TEXT PRIMARY KEY,
    owner_id   BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    key_check  BYTEA NOT NULL,
    key_file   BYTEA NOT NULL,              -- the vault's keys wrapped on the device (passphrase, recovery key)
    head       BIGINT NOT NULL DEFAULT 0, -- the newest arrival number handed out (a record's cursor)
    bytes      BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);

CREATE TABLE members (
    vault_id TEXT NOT NULL REFERENCES vaults(id) ON DELETE CASCADE,
    user_id  BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role     TEXT NOT NULL CHECK (role IN ('owner', 'editor', 'viewer')),
    PRIMARY KEY (vault_id, user_id)
);
CREATE INDEX members_by_user ON members (user_id);

CREATE TABLE devices (
    vault_id   TEXT NOT NULL REFERENCES vaults(id) ON DELETE CASCADE,
    device     TEXT NOT NULL,
    user_id    BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    first_seen BIGINT NOT NULL,
    last_seen  BIGINT NOT NULL,
    records    BIGINT NOT NULL DEFAULT 0,
    revoked    BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (vault_id, device)
);

CREATE TABLE records (
    vault_id    TEXT NOT NULL REFERENCES vaults(id) ON DELETE CASCADE,
    arrival     BIGINT NOT NULL,
    device      TEXT NOT NULL,
    seq         BIGINT NOT NULL,
    data        BYTEA NOT NULL,
    size        BIGINT NOT NULL,          -- length(data), read to cut pages without reading the data
    received_at BIGINT NOT NULL,
    PRIMARY KEY (vault_id, arrival),
    UNIQUE (vault_id, device, seq)
);
