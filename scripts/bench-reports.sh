#!/usr/bin/env bash
# The analytics figures of docs/benchmarks.md on a realistic statement, next to hledger on the same data.
# Generates 1,000,000 card transactions over ten years (../shared/tools/gen_bank_csv.py, or
# GEN=path/to/gen_bank_csv.py), imports them into a fresh vault with the generator's categorization
# rules, times the reports as a user runs them (whole process, unlock included), then converts the
# same rows to an hledger journal and times hledger's monthly reports. Needs a release build of the CLI
# (`cargo build --release -p credence-cli`) and, for the comparison, `hledger` (apt-get install hledger).
# Usage: scripts/bench-reports.sh [ROWS] [WORKDIR]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
rows="${1:-1000000}"
work="${2:-$(mktemp -d)}"
gen="${GEN:-../shared/tools/gen_bank_csv.py}"
credence="$CARGO_TARGET_DIR/release/credence"
export CREDENCE_VAULT="$work/bench.vault" CREDENCE_PASSPHRASE="benchmark passphrase"
mkdir -p "$work"
[ -f "$work/statement.csv" ] || python3 "$gen" --rows "$rows" --seed 7 --format chase --out "$work/statement.csv" --rules-out "$work/rules.tsv"

run() { # label, then the command
  local label="$1"; shift
  local start end ms
  start=$(date +%s%N); "$@" > /dev/null; end=$(date +%s%N)
  ms=$(( (end - start) / 1000000 ))
  printf '%-58s %4d.%03d s\n' "$label" $((ms / 1000)) $((ms % 1000))
}

if [ ! -f "$CREDENCE_VAULT" ]; then
  "$credence" init > /dev/null
  "$credence" account add Visa --type credit-card --limit 15000 > /dev/null
  # The generator's rules name hledger accounts (Expenses:Food:Groceries): Credence files under the
  # part after Expenses:/Income:, creating the category when it is new.
  grep -v '^#' "$work/rules.tsv" | while IFS=$'\t' read -r pattern account; do
    category="${account#Expenses:}"; category="${category#Income:}"; category="${category#Equity:}"
    "$credence" category add "$category" > /dev/null 2>&1 || true
    "$credence" rule add --payee-contains "$pattern" --category "$category" > /dev/null
  done
  run "credence import (1M rows, the generator's rules)" "$credence" import "$work/statement.csv" --account Visa
fi

run "credence account list (about the unlock alone)" "$credence" account list --json
run "credence report monthly --json" "$credence" report monthly --json
run "credence dashboard --json" "$credence" dashboard --json
run "credence report custom, three filters" "$credence" report custom --from 2023-01 --to 2023-06 --text starbucks --max 0 --by month --group payee --json
run "credence report trend --category Groceries (monthly)" "$credence" report trend --category Groceries --json
run "credence report trend --by week --from 2024-12" "$credence" report trend --by week --from 2024-12 --json
run "credence recurring --json" "$credence" recurring --json

command -v hledger > /dev/null || { echo "hledger not installed: skipping the comparison"; exit 0; }
if [ ! -f "$work/statement.journal" ]; then
  python3 - "$work/statement.csv" "$work/rules.tsv" > "$work/statement.journal" <<'PY'
import csv, sys
rules = [l.rstrip("\n").split("\t") for l in open(sys.argv[2]) if l.strip() and not l.startswith("#")]
out = sys.stdout
for row in csv.DictReader(open(sys.argv[1], newline="")):
    m, d, y = row["Transaction Date"].split("/")
    desc = row["Description"]
    account = next((a for p, a in rules if p.lower() in desc.lower()), "Expenses:Uncategorized")
    amount = row['Amount']; spent = amount[1:] if amount.startswith('-') else '-' + amount
    out.write(f"{y}-{m}-{d} {desc}\n    {account}  {spent} USD\n    Liabilities:Visa\n\n")
PY
fi
run "hledger balance -M (monthly totals per account)" hledger -f "$work/statement.journal" balance -M
run "hledger register -M expenses (monthly register)" hledger -f "$work/statement.journal" register -M expenses
echo "work files in $work"
