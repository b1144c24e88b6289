-- The transaction list shows every transaction newest day first and, within a day, by account and in the
-- order the rows were added (ids are time-ordered), a page at a time over up to millions of rows. The table is rebuilt
-- WITHOUT ROWID so that its primary key, the id, is the table itself and every index carries it: the date
-- index below holds the list's whole order, with the account for the per-account lists, and a page at
-- any depth is read from it alone. That also saves the rowid table's separate primary-key index; the old
-- (account_id, date) index goes too: every index costs each imported row a B-tree insert.
-- Dates (and the date-led fingerprints) are indexed newest first because bank statements mostly list
-- newest first: importing one then appends at the end of each index, where SQLite's B-tree is cheapest
-- to grow, instead of inserting before everything already there.
-- Append-only: never edit this file once it has landed.
CREATE TABLE transactions_by_id (
    id             BLOB PRIMARY KEY,
    account_id     BLOB NOT NULL REFERENCES accounts (id),
    date           TEXT NOT NULL CHECK (date BETWEEN '1900-01-01' AND '2100-12-31' AND length(date) = 10),
    amount         INTEGER NOT NULL,
    payee          TEXT NOT NULL,
    memo           TEXT NOT NULL DEFAULT '',
    category_id    BLOB REFERENCES categories (id),
    import_batch   TEXT,
    fingerprint    TEXT,
    original_payee TEXT,
    tags           TEXT,
    transfer_id    BLOB
) WITHOUT ROWID;
INSERT INTO transactions_by_id
    SELECT id, account_id, date, amount, payee, memo, category_id, import_batch, fingerprint, original_payee, tags, transfer_id
    FROM transactions;
DROP TABLE transactions;
ALTER TABLE transactions_by_id RENAME TO transactions;
CREATE INDEX transactions_date ON transactions (date DESC, account_id, id);
CREATE INDEX transactions_category ON transactions (category_id) WHERE category_id IS NOT NULL;
CREATE UNIQUE INDEX transactions_fingerprint ON transactions (account_id, fingerprint DESC) WHERE fingerprint IS NOT NULL;

-- From this version on, the change-log entry of an insert may hold a run of ids in changes.entity_id, 16
-- bytes each, in the order the rows were inserted (an import logs its rows in runs of up to 128).
