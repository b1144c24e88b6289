-- Money in and out per account, month, category and transfer-or-not, kept up to date on every write, so
-- that the monthly report, the dashboard and account balances read a few thousand rows instead of every
-- transaction. Amounts are minor units as in `transactions`; `category_id` is x'' for none (a WITHOUT
-- ROWID key cannot be NULL); `transfer` is 1 when the row is paired with its other side (transfer_id).
-- The triggers ask `credence_totals_by_trigger()`, a function every Credence connection registers: an
-- import turns it off while it inserts its rows and adds its own totals at the end in one upsert per
-- bucket; everything else (edits, deletes, undo, transfer pairing) goes through the triggers.
-- Append-only: never edit this file once it has landed.
CREATE TABLE monthly_totals (
    account_id  BLOB NOT NULL,
    month       TEXT NOT NULL,
    category_id BLOB NOT NULL,
    transfer    INTEGER NOT NULL,
    income      INTEGER NOT NULL,
    expense     INTEGER NOT NULL,
    count       INTEGER NOT NULL,
    PRIMARY KEY (account_id, month, category_id, transfer)
) WITHOUT ROWID;

INSERT INTO monthly_totals
    SELECT account_id, substr(date, 1, 7), coalesce(category_id, x''), transfer_id IS NOT NULL,
           sum(max(amount, 0)), sum(min(amount, 0)), count(*)
    FROM transactions
    GROUP BY 1, 2, 3, 4;

CREATE TRIGGER transactions_totals_insert AFTER INSERT ON transactions
WHEN credence_totals_by_trigger()
BEGIN
    INSERT INTO monthly_totals VALUES (NEW.account_id, substr(NEW.date, 1, 7), coalesce(NEW.category_id, x''),
        NEW.transfer_id IS NOT NULL, max(NEW.amount, 0), min(NEW.amount, 0), 1)
    ON CONFLICT DO UPDATE SET income = income + excluded.income, expense = expense + excluded.expense, count = count + 1;
END;

CREATE TRIGGER transactions_totals_delete AFTER DELETE ON transactions
WHEN credence_totals_by_trigger()
BEGIN
    UPDATE monthly_totals SET income = income - max(OLD.amount, 0), expense = expense - min(OLD.amount, 0), count = count - 1
    WHERE account_id = OLD.account_id AND month = substr(OLD.date, 1, 7) AND category_id = coalesce(OLD.category_id, x'')
      AND transfer = (OLD.transfer_id IS NOT NULL);
    DELETE FROM monthly_totals
    WHERE account_id = OLD.account_id AND month = substr(OLD.date, 1, 7) AND category_id = coalesce(OLD.category_id, x'')
      AND transfer = (OLD.transfer_id IS NOT NULL) AND count = 0;
END;

CREATE TRIGGER transactions_totals_update AFTER UPDATE OF account_id, date, amount, category_id, transfer_id ON transactions
WHEN credence_totals_by_trigger()
BEGIN
    UPDATE monthly_totals SET income = income - max(OLD.amount, 0), expense = expense - min(OLD.amount, 0), count = count - 1
    WHERE account_id = OLD.account_id AND month = substr(OLD.date, 1, 7) AND category_id = coalesce(OLD.category_id, x'')
      AND transfer = (OLD.transfer_id IS NOT NULL);
    DELETE FROM monthly_totals
    WHERE account_id = OLD.account_id AND month = substr(OLD.date, 1, 7) AND category_id = coalesce(OLD.category_id, x'')
      AND transfer = (OLD.transfer_id IS NOT NULL) AND count = 0;
    INSERT INTO monthly_totals VALUES (NEW.account_id, substr(NEW.date, 1, 7), coalesce(NEW.category_id, x''),
        NEW.transfer_id IS NOT NULL, max(NEW.amount, 0), min(NEW.amount, 0), 1)
    ON CONFLICT DO UPDATE SET income = income + excluded.income, expense = expense + excluded.expense, count = count + 1;
END;
