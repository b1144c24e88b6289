-- Exchange rates the user supplies, so reports can add different currencies together: one unit of
-- `currency` is worth `rate` units of `quote` from `from_date` until the next rate of the pair; the
-- earliest rate of a pair also covers the dates before it. `rate` is a decimal string (exact).
-- Saved reports: a custom report's filters and grouping under a name, as JSON (see analytics/saved.rs).
-- Append-only: never edit this file once it has landed.
CREATE TABLE exchange_rates (
    id        BLOB PRIMARY KEY,
    currency  TEXT NOT NULL CHECK (length(currency) = 3),
    quote     TEXT NOT NULL CHECK (length(quote) = 3 AND quote <> currency),
    from_date TEXT NOT NULL CHECK (length(from_date) = 10),
    rate      TEXT NOT NULL
);
CREATE UNIQUE INDEX exchange_rates_pair_date ON exchange_rates (currency, quote, from_date);

CREATE TABLE saved_reports (
    id    BLOB PRIMARY KEY,
    name  TEXT NOT NULL,
    query TEXT NOT NULL
);
CREATE UNIQUE INDEX saved_reports_name ON saved_reports (lower(name));
