-- Credence vault schema, version 1.
-- Append-only: never edit this file once it has landed; add 0002_*.sql instead.

-- Facts about this vault file: its id, this device's id, the clock of the last change.
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE accounts (
    id           TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('checking', 'savings', 'credit-card', 'loan', 'cash', 'investment', 'other')),
    currency     TEXT NOT NULL CHECK (length(currency) = 3),
    -- Minor units of the account's currency; only cards and credit lines have one.
    credit_limit INTEGER,
    archived     INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1))
);
CREATE UNIQUE INDEX accounts_name ON accounts (name COLLATE NOCASE);

CREATE TABLE categories (
    id        TEXT PRIMARY KEY,
    name      TEXT NOT NULL CHECK (name <> '' AND instr(name, ':') = 0),
    parent_id TEXT REFERENCES categories (id),
    kind      TEXT NOT NULL CHECK (kind IN ('expense', 'income', 'transfer'))
);
CREATE UNIQUE INDEX categories_sibling_name ON categories (coalesce(parent_id, ''), name COLLATE NOCASE);

CREATE TABLE transactions (
    id           TEXT PRIMARY KEY,
    account_id   TEXT NOT NULL REFERENCES accounts (id),
    date         TEXT NOT NULL CHECK (date BETWEEN '1900-01-01' AND '2100-12-31' AND length(date) = 10),
    -- Minor units of the account's currency, in the account holder's view: money out is negative.
    amount       INTEGER NOT NULL,
    payee        TEXT NOT NULL,
    memo         TEXT NOT NULL DEFAULT '',
    category_id  TEXT REFERENCES categories (id),
    import_batch TEXT,
    fingerprint  TEXT
);
CREATE INDEX transactions_account_date ON transactions (account_id, date);
CREATE INDEX transactions_date ON transactions (date);
CREATE INDEX transactions_category ON transactions (category_id) WHERE category_id IS NOT NULL;

-- The change log. Every mutation is one operation (one user action, one database transaction) made of
-- ordered changes. Undo, the audit view and sync are all built on it.
CREATE TABLE operations (
    id        INTEGER PRIMARY KEY,
    hlc       TEXT NOT NULL UNIQUE,
    device_id TEXT NOT NULL,
    summary   TEXT NOT NULL,
    -- 0 for bookkeeping a user did not ask for (seeding a new vault), which undo walks past.
    undoable  INTEGER NOT NULL DEFAULT 1 CHECK (undoable IN (0, 1)),
    undoes    INTEGER REFERENCES operations (id),
    undone_by INTEGER REFERENCES operations (id)
);

-- kind: 'insert' (new_value = the whole row as JSON), 'delete' (old_value = the whole row),
-- 'update' (one row per changed field, old and new values as JSON).
CREATE TABLE changes (
    op_id     INTEGER NOT NULL REFERENCES operations (id),
    seq       INTEGER NOT NULL,
    kind      TEXT NOT NULL CHECK (kind IN ('insert', 'update', 'delete')),
    entity    TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    field     TEXT,
    old_value TEXT,
    new_value TEXT,
    PRIMARY KEY (op_id, seq)
) WITHOUT ROWID;
CREATE INDEX changes_entity ON changes (entity, entity_id);
