-- Credence vault schema, version 1.
-- Append-only: never edit this file once it has landed; add 0002_*.sql instead.

-- Facts about this vault file: its id, this device's id, the clock of the last change.
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

-- Ids are UUIDv7 stored as 16-byte blobs (a third of the text form's size in every row and index).
CREATE TABLE accounts (
    id           BLOB PRIMARY KEY,
    name         TEXT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('checking', 'savings', 'credit-card', 'loan', 'cash', 'investment', 'other')),
    currency     TEXT NOT NULL CHECK (length(currency) = 3),
    -- Minor units of the account's currency; only cards and credit lines have one.
    credit_limit INTEGER,
    archived     INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1))
);
CREATE UNIQUE INDEX accounts_name ON accounts (name COLLATE NOCASE);

CREATE TABLE categories (
    id        BLOB PRIMARY KEY,
    name      TEXT NOT NULL CHECK (name <> '' AND instr(name, ':') = 0),
    parent_id BLOB REFERENCES categories (id),
    kind      TEXT NOT NULL CHECK (kind IN ('expense', 'income', 'transfer'))
);
CREATE UNIQUE INDEX categories_sibling_name ON categories (coalesce(parent_id, x''), name COLLATE NOCASE);

CREATE TABLE transactions (
    id           BLOB PRIMARY KEY,
    account_id   BLOB NOT NULL REFERENCES accounts (id),
    date         TEXT NOT NULL CHECK (date BETWEEN '1900-01-01' AND '2100-12-31' AND length(date) = 10),
    -- Minor units of the account's currency, in the account holder's view: money out is negative.
    amount       INTEGER NOT NULL,
    payee        TEXT NOT NULL,
    memo         TEXT NOT NULL DEFAULT '',
    category_id  BLOB REFERENCES categories (id),
    import_batch TEXT,
    fingerprint  TEXT
);
CREATE INDEX transactions_account_date ON transactions (account_id, date);
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

-- One row per changed row or field. Small codes keep this table compact: it gains a row for every
-- transaction ever imported.
--   kind:   1 insert (no payload: the row holds the inserted values; an older value of a field that
--             changed later is in that update's old_value), 2 update (one row per changed field, old and
--             new value as JSON), 3 delete (old_value = the whole row as JSON).
--   entity: 1 account, 2 category, 3 transaction (later migrations add codes; see journal::Entity).
CREATE TABLE changes (
    op_id     INTEGER NOT NULL REFERENCES operations (id),
    seq       INTEGER NOT NULL,
    kind      INTEGER NOT NULL CHECK (kind BETWEEN 1 AND 3),
    entity    INTEGER NOT NULL,
    entity_id BLOB NOT NULL,
    field     TEXT,
    old_value TEXT,
    new_value TEXT,
    PRIMARY KEY (op_id, seq)
) WITHOUT ROWID;
