-- The card and loan calendar (docs/coach.md): the day of the month a statement closes and the day its
-- payment is due, as the user set them. NULL: the coach infers the day from the transactions and says so.
-- A day past the end of a short month means that month's last day.
-- Append-only: never edit this file once it has landed.
ALTER TABLE accounts ADD COLUMN statement_day INTEGER CHECK (statement_day BETWEEN 1 AND 31);
ALTER TABLE accounts ADD COLUMN due_day INTEGER CHECK (due_day BETWEEN 1 AND 31);
