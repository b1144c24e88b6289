-- Bank-statement import: batches, duplicate detection, saved column mappings.
-- Append-only: never edit this file once it has landed.

-- One row per import. Its transactions carry its id in transactions.import_batch.
CREATE TABLE import_batches (
    id         BLOB PRIMARY KEY,
    account_id BLOB NOT NULL REFERENCES accounts (id),
    file_name  TEXT NOT NULL,
    format     TEXT NOT NULL,
    rows       INTEGER NOT NULL,
    imported   INTEGER NOT NULL,
    duplicates INTEGER NOT NULL,
    rejected   INTEGER NOT NULL,
    imported_at TEXT NOT NULL
);

-- transactions.fingerprint: 16 bytes; the bank's own id for the row where the file has one, else the
-- row's date, amount and payee plus how many identical rows came before it in the same file.
CREATE UNIQUE INDEX transactions_fingerprint ON transactions (account_id, fingerprint) WHERE fingerprint IS NOT NULL;

-- A column mapping the user gave for files with this header, suggested again for the same account.
CREATE TABLE import_mappings (
    id         BLOB PRIMARY KEY,
    account_id BLOB NOT NULL REFERENCES accounts (id),
    header     TEXT NOT NULL,
    spec       TEXT NOT NULL
);
CREATE UNIQUE INDEX import_mappings_header ON import_mappings (account_id, header);
