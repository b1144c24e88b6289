-- The sync server's schema on SQLite. Times are Unix milliseconds (UTC). Append-only: a change is a new
-- file, listed in server/src/store/migrations.rs (and its PostgreSQL twin beside this folder).
CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,           -- Argon2id, PHC string
    totp_secret   BLOB,                    -- the confirmed second factor
    totp_pending  BLOB,                    -- enrolled, not yet confirmed
    totp_step     INTEGER NOT NULL DEFAULT 0, -- the last time step a code was used in (replays refused)
    created_at    INTEGER NOT NULL
);

CREATE TABLE recovery_codes (
    user_id   INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    code_hash BLOB NOT NULL,               -- SHA-256 of a random code
    PRIMARY KEY (user_id, code_hash)
);

CREATE TABLE sessions (
    token_hash BLOB PRIMARY KEY,           -- SHA-256 of the bearer token; the token itself is never stored
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (user_id);

CREATE TABLE login_failures (
    key TEXT NOT NULL,                     -- 'user:<name>' or 'address:<ip>'
    at  INTEGER NOT NULL
);
CREATE INDEX login_failures_by_key ON login_failures (key, at);

CREATE TABLE audit (
    id      INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    at      INTEGER NOT NULL,
    event   TEXT NOT NULL,
    address TEXT NOT NULL,
    subject TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_by_user ON audit (user_id, id);

CREATE TABLE vaults (
    id         TEXT PRIMARY KEY,
    owner_id   INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    key_check  BLOB NOT NULL,
    key_file   BLOB NOT NULL,              -- the vault's keys wrapped on the device (passphrase, recovery key)
    head       INTEGER NOT NULL DEFAULT 0, -- the newest arrival number handed out (a record's cursor)
    bytes      INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
);

CREATE TABLE members (
    vault_id TEXT NOT NULL REFERENCES vaults(id) ON DELETE CASCADE,
    user_id  INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role     TEXT NOT NULL CHECK (role IN ('owner', 'editor', 'viewer')),
    PRIMARY KEY (vault_id, user_id)
);
CREATE INDEX members_by_user ON members (user_id);

CREATE TABLE devices (
    vault_id   TEXT NOT NULL REFERENCES vaults(id) ON DELETE CASCADE,
    device     TEXT NOT NULL,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    first_seen INTEGER NOT NULL,
    last_seen  INTEGER NOT NULL,
    records    INTEGER NOT NULL DEFAULT 0,
    revoked    INTEGER NOT NULL DEFAULT 0 CHECK (revoked IN (0, 1)),
    PRIMARY KEY (vault_id, device)
);

CREATE TABLE records (
    vault_id    TEXT NOT NULL REFERENCES vaults(id) ON DELETE CASCADE,
    arrival     INTEGER NOT NULL,
    device      TEXT NOT NULL,
    seq         INTEGER NOT NULL,
    data        BLOB NOT NULL,
    size        INTEGER NOT NULL,          -- length(data), read to cut pages without reading the data
    received_at INTEGER NOT NULL,
    PRIMARY KEY (vault_id, arrival),
    UNIQUE (vault_id, device, seq)
);
