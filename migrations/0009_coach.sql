-- The credit coach (docs/coach.md). First, the card and loan calendar: the day of the month a
-- statement closes and the day its payment is due, as the user set them. NULL: the coach infers the
-- day from the transactions and says so. A day past the end of a short month means that month's last day.
-- Append-only: never edit this file once it has landed.
ALTER TABLE accounts ADD COLUMN statement_day INTEGER CHECK (statement_day BETWEEN 1 AND 31);
ALTER TABLE accounts ADD COLUMN due_day INTEGER CHECK (due_day BETWEEN 1 AND 31);

-- Money in and out per account and day, kept like monthly_totals (by triggers, or by an import's own
-- upsert while it holds them off): a card's balance on any closing day, and a day's charges, without
-- reading its transactions (the coach over a million-row card).
CREATE TABLE daily_totals (
    account_id BLOB NOT NULL,
    day        TEXT NOT NULL,
    income     INTEGER NOT NULL,
    expense    INTEGER NOT NULL,
    count      INTEGER NOT NULL,
    PRIMARY KEY (account_id, day)
) WITHOUT ROWID;

INSERT INTO daily_totals
    SELECT account_id, date, sum(max(amount, 0)), sum(min(amount, 0)), count(*) FROM transactions GROUP BY 1, 2;

CREATE TRIGGER transactions_daily_insert AFTER INSERT ON transactions
WHEN credence_totals_by_trigger()
BEGIN
    INSERT INTO daily_totals VALUES (NEW.account_id, NEW.date, max(NEW.amount, 0), min(NEW.amount, 0), 1)
    ON CONFLICT DO UPDATE SET income = income + excluded.income, expense = expense + excluded.expense, count = count + 1;
END;

CREATE TRIGGER transactions_daily_delete AFTER DELETE ON transactions
WHEN credence_totals_by_trigger()
BEGIN
    UPDATE daily_totals SET income = income - max(OLD.amount, 0), expense = expense - min(OLD.amount, 0), count = count - 1
    WHERE account_id = OLD.account_id AND day = OLD.date;
    DELETE FROM daily_totals WHERE account_id = OLD.account_id AND day = OLD.date AND count = 0;
END;

CREATE TRIGGER transactions_daily_update AFTER UPDATE OF account_id, date, amount ON transactions
WHEN credence_totals_by_trigger()
BEGIN
    UPDATE daily_totals SET income = income - max(OLD.amount, 0), expense = expense - min(OLD.amount, 0), count = count - 1
    WHERE account_id = OLD.account_id AND day = OLD.date;
    DELETE FROM daily_totals WHERE account_id = OLD.account_id AND day = OLD.date AND count = 0;
    INSERT INTO daily_totals VALUES (NEW.account_id, NEW.date, max(NEW.amount, 0), min(NEW.amount, 0), 1)
    ON CONFLICT DO UPDATE SET income = income + excluded.income, expense = expense + excluded.expense, count = count + 1;
END;

-- Money into an account, by date, with what the coach reads of it: a card's payments (and refunds)
-- without its purchases, and without reading the rows (a million-row card's payments of a year were
-- 0.13 s of row lookups). Partial, so the rows an import writes mostly (money out) cost it nothing.
CREATE INDEX transactions_money_in ON transactions (account_id, date, amount, payee, original_payee, transfer_id)
    WHERE amount > 0;
