-- Monthly budgets per category and currency. A budget applies from its month on, until a later one for
-- the same category and currency takes over; an amount of 0 ends it. Spending against it comes from
-- monthly_totals (the category and its sub-categories, transfers left out).
-- Append-only: never edit this file once it has landed.
CREATE TABLE budgets (
    id          BLOB PRIMARY KEY,
    category_id BLOB NOT NULL REFERENCES categories (id),
    from_month  TEXT NOT NULL CHECK (length(from_month) = 7),
    currency    TEXT NOT NULL,
    amount      INTEGER NOT NULL CHECK (amount >= 0)
);
CREATE UNIQUE INDEX budgets_category_month ON budgets (category_id, currency, from_month);
