-- Categorization rules, payee normalization and transfers.
-- Append-only: never edit this file once it has landed.

-- Ordered rules: every condition must hold; for each field, the first matching rule that sets it wins.
-- conditions and actions are JSON arrays (see core/src/rules/mod.rs for their shapes).
CREATE TABLE rules (
    id         BLOB PRIMARY KEY,
    position   INTEGER NOT NULL,
    conditions TEXT NOT NULL,
    actions    TEXT NOT NULL,
    origin     TEXT NOT NULL CHECK (origin IN ('user', 'learned'))
);

-- The payee exactly as the bank wrote it, when Credence shows a cleaner one.
ALTER TABLE transactions ADD COLUMN original_payee TEXT;
-- Tags, separated by single spaces, each starting with '#'; NULL when there are none.
ALTER TABLE transactions ADD COLUMN tags TEXT;
-- The other side of a transfer between the user's own accounts.
ALTER TABLE transactions ADD COLUMN transfer_id BLOB;
