-- The user's credit report, item by item, each as the JSON of the credit-profile exchange format
-- (core/src/score/profile.rs): accounts (tradelines), inquiries, collections, public records and the
-- scores the user has seen elsewhere.
-- Append-only: never edit this file once it has landed.
CREATE TABLE credit_items (
    id   BLOB PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('account', 'inquiry', 'collection', 'public_record', 'reported_score')),
    body TEXT NOT NULL
);
