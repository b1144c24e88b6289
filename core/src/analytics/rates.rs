//! Exchange rates the user supplies, and the conversion of report amounts with them. Without a rate, an
//! amount stays in its own currency (reports show it apart); nothing is ever added across currencies
//! silently. A rate of a pair holds from its date until the pair's next one; the pair's earliest rate
//! also covers the dates before it. A pair entered one way converts the other way too (by division).
//! Converted amounts are rounded to the target currency's minor unit once per sum a report reads (a
//! month's or, for weekly reports, a day's total of one category or group), half away from zero.

use std::collections::{BTreeSet, HashMap};

use chrono::NaiveDate;
use rusqlite::types::Value;
use rusqlite::OptionalExtension;
use rust_decimal::{Decimal, RoundingStrategy};
use uuid::Uuid;

use crate::error::{Error, Result};
use crate::ids::new_id;
use crate::journal::Entity;
use crate::values::{currency_code, minor_digits};
use crate::vault::Vault;

/// One unit of `currency` is worth `rate` units of `quote` from `from` on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExchangeRate {
    pub currency: String,
    pub quote: String,
    pub from: NaiveDate,
    pub rate: Decimal,
}

impl Vault {
    /// Records that one `currency` is worth `rate` `quote` from `from` on (replacing a rate of the same
    /// pair and date).
    pub fn set_exchange_rate(&mut self, currency: &str, quote: &str, rate: Decimal, from: NaiveDate) -> Result<()> {
        let (currency, quote) = (currency_code(currency)?, currency_code(quote)?);
        if currency == quote {
            return Err(Error::invalid(format!("a rate needs two different currencies, not {currency} twice")));
        }
        if rate <= Decimal::ZERO {
            return Err(Error::invalid(format!("an exchange rate must be more than 0, not {rate}")));
        }
        let rate = rate.normalize();
        let existing = self.rate_id(&currency, &quote, from)?;
        let summary = format!("Exchange rate 1 {currency} = {rate} {quote} from {from}");
        self.write(&summary, |w| match existing {
            Some(id) => w.update(Entity::ExchangeRate, id, "rate", Value::Text(rate.to_string())).map(drop),
            None => w.insert(
                Entity::ExchangeRate,
                new_id(),
                &[
                    Value::Text(currency.clone()),
                    Value::Text(quote.clone()),
                    Value::Text(from.to_string()),
                    Value::Text(rate.to_string()),
                ],
            ),
        })
    }

    /// Removes the rate of a pair that starts on `from`.
    pub fn remove_exchange_rate(&mut self, currency: &str, quote: &str, from: NaiveDate) -> Result<()> {
        let (currency, quote) = (currency_code(currency)?, currency_code(quote)?);
        let id = self
            .rate_id(&currency, &quote, from)?
            .ok_or_else(|| Error::not_found("exchange rate", format!("{currency}→{quote} from {from}")))?;
        self.write(&format!("Remove exchange rate {currency}→{quote} from {from}"), |w| {
            w.delete(Entity::ExchangeRate, id)
        })
    }

    /// Every rate, by pair and date.
    pub fn exchange_rates(&self) -> Result<Vec<ExchangeRate>> {
        let mut stmt = self.conn.prepare(
            "SELECT currency, quote, from_date, rate FROM exchange_rates ORDER BY currency, quote, from_date",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, String>(3)?))
        })?;
        rows.map(|row| {
            let (currency, quote, from, rate) = row?;
            let damaged = || Error::invalid(format!("the stored rate {currency}→{quote} from {from} is not readable"));
            Ok(ExchangeRate {
                from: from.parse().map_err(|_| damaged())?,
                rate: rate.parse().map_err(|_| damaged())?,
                currency,
                quote,
            })
        })
        .collect()
    }

    fn rate_id(&self, currency: &str, quote: &str, from: NaiveDate) -> Result<Option<Uuid>> {
        Ok(self
            .conn
            .query_row(
                "SELECT id FROM exchange_rates WHERE currency = ?1 AND quote = ?2 AND from_date = ?3",
                rusqlite::params![currency, quote, from.to_string()],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// A converter into `target`, or one that leaves every amount in its currency.
    pub(crate) fn converter(&self, target: Option<&str>) -> Result<Converter> {
        let Some(target) = target else { return Ok(Converter::default()) };
        let target = currency_code(target)?;
        let mut pairs: HashMap<String, Vec<(NaiveDate, Rate)>> = HashMap::new();
        for r in self.exchange_rates()? {
            if r.quote == target {
                pairs.entry(r.currency).or_default().push((r.from, Rate::Times(r.rate)));
            } else if r.currency == target {
                pairs.entry(r.quote).or_default().push((r.from, Rate::DividedBy(r.rate)));
            }
        }
        for rates in pairs.values_mut() {
            // A pair entered both ways on one date: the direct one (sorted first) wins.
            rates.sort_by_key(|(from, rate)| (*from, matches!(rate, Rate::DividedBy(_))));
            rates.dedup_by_key(|(from, _)| *from);
        }
        Ok(Converter { target: Some(target), pairs })
    }
}

#[derive(Debug, Clone, Copy)]
enum Rate {
    Times(Decimal),
    DividedBy(Decimal),
}

/// Turns amounts into the report's currency where the user gave a rate.
#[derive(Debug, Default)]
pub(crate) struct Converter {
    target: Option<String>,
    pairs: HashMap<String, Vec<(NaiveDate, Rate)>>,
}

impl Converter {
    /// The amount in the target currency as of `on`, or unchanged (with its own currency) when there is
    /// no target or no rate for its currency.
    pub(crate) fn express(&self, amount: Decimal, currency: &str, on: NaiveDate) -> (String, Decimal) {
        let Some(target) = self.target.as_deref().filter(|t| *t != currency) else {
            return (currency.to_string(), amount);
        };
        let Some(rates) = self.pairs.get(currency) else { return (currency.to_string(), amount) };
        let in_force = rates.iter().rev().find(|(from, _)| *from <= on).or(rates.first()).map(|(_, r)| *r);
        let converted = match in_force {
            Some(Rate::Times(r)) => amount.checked_mul(r),
            Some(Rate::DividedBy(r)) => amount.checked_div(r),
            None => None,
        };
        match converted {
            Some(v) => (
                target.to_string(),
                v.round_dp_with_strategy(minor_digits(target), RoundingStrategy::MidpointAwayFromZero),
            ),
            None => (currency.to_string(), amount),
        }
    }

    pub(crate) fn target(&self) -> Option<&str> {
        self.target.as_deref()
    }

    /// Whether amounts in `currency` end up in another currency.
    pub(crate) fn converts(&self, currency: &str) -> bool {
        self.target.as_deref().is_some_and(|t| t != currency) && self.pairs.contains_key(currency)
    }

    /// The currencies of `seen` that were converted into the target.
    pub(crate) fn converted_among<'a>(&self, seen: impl IntoIterator<Item = &'a String>) -> BTreeSet<String> {
        seen.into_iter().filter(|c| self.converts(c)).cloned().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analytics::testing::{d, day};

    #[test]
    fn the_rate_in_force_converts_and_rounds_to_the_target_unit() {
        let mut pairs = HashMap::new();
        pairs.insert(
            "EUR".to_string(),
            vec![(day("2026-01-01"), Rate::Times(d("1.1"))), (day("2026-03-01"), Rate::Times(d("1.2")))],
        );
        pairs.insert("JPY".to_string(), vec![(day("2026-01-01"), Rate::DividedBy(d("150")))]);
        let c = Converter { target: Some("USD".into()), pairs };
        assert_eq!(c.express(d("10.00"), "EUR", day("2026-02-28")), ("USD".into(), d("11.00")));
        assert_eq!(c.express(d("10.00"), "EUR", day("2026-03-01")), ("USD".into(), d("12.00")));
        assert_eq!(
            c.express(d("10.00"), "EUR", day("2025-06-30")),
            ("USD".into(), d("11.00")),
            "the earliest rate covers earlier dates"
        );
        assert_eq!(
            c.express(d("1000"), "JPY", day("2026-05-01")),
            ("USD".into(), d("6.67")),
            "inverse rate, rounded to cents"
        );
        assert_eq!(c.express(d("5.00"), "GBP", day("2026-05-01")), ("GBP".into(), d("5.00")), "no rate: stays apart");
        assert_eq!(c.express(d("5.00"), "USD", day("2026-05-01")), ("USD".into(), d("5.00")));
        assert!(c.converts("EUR") && !c.converts("GBP") && !c.converts("USD"));
        assert_eq!(Converter::default().express(d("1"), "EUR", day("2026-01-01")), ("EUR".into(), d("1")));
    }
}
