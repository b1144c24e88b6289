//! The scorecard's tables, read once from `model.json` (embedded in the binary). The score output names
//! the model's version, so a number can always be traced to the tables that produced it.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use rust_decimal::Decimal;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub(crate) struct Model {
    pub version: String,
    pub characteristics: BTreeMap<String, Characteristic>,
    pub events: BTreeMap<String, EventParams>,
    pub schedules: BTreeMap<String, Vec<(u32, Decimal)>>,
    pub extra_event_cap: u32,
    pub past_due: Vec<(u64, u32)>,
    pub satisfactory: Vec<(u64, u32)>,
    pub thin_file_new_credit_factor: Decimal,
}

#[derive(Debug, Deserialize)]
pub(crate) struct Characteristic {
    pub category: String,
    pub max: u32,
    pub code: String,
    pub edges: Vec<(u64, u32)>,
    #[serde(default)]
    pub all_zero: Option<u32>,
    #[serde(default)]
    pub none: Option<u32>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct EventParams {
    pub p: u32,
    pub kappa: Decimal,
    pub schedule: String,
    pub code: String,
}

/// The points of the highest lower bound not above `value`.
pub(crate) fn bin<T: Copy + Default>(edges: &[(u64, T)], value: u64) -> T {
    edges.iter().take_while(|(lower, _)| *lower <= value).last().map(|(_, v)| *v).unwrap_or_default()
}

pub(crate) fn model() -> &'static Model {
    static MODEL: OnceLock<Model> = OnceLock::new();
    // The file is part of the binary and checked by the tests below; it cannot be malformed at run time.
    MODEL.get_or_init(|| serde_json::from_str(include_str!("model.json")).unwrap_or_else(|e| panic!("model.json: {e}")))
}

impl Model {
    /// The decay multiplier of an event `age` months old.
    pub(crate) fn decay(&self, schedule: &str, age: u32) -> Decimal {
        self.schedules
            .get(schedule)
            .map(|steps| steps.iter().take_while(|(from, _)| *from <= age).last().map_or(Decimal::ONE, |(_, m)| *m))
            .unwrap_or(Decimal::ZERO)
    }
}

pub(crate) const CATEGORIES: [(&str, u32); 5] = [
    ("payment_history", 192),
    ("amounts_owed", 165),
    ("length_of_history", 83),
    ("new_credit", 55),
    ("credit_mix", 55),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tables_load_and_the_budgets_add_up_to_550() {
        let m = model();
        for (category, budget) in CATEGORIES.iter().skip(1) {
            let sum: u32 = m.characteristics.values().filter(|c| c.category == *category).map(|c| c.max).sum();
            assert_eq!(sum, *budget, "{category}");
        }
        assert_eq!(CATEGORIES.iter().map(|c| c.1).sum::<u32>(), 550);
        for (name, c) in &m.characteristics {
            let best = c.edges.iter().map(|e| e.1).chain(c.all_zero).chain(c.none).max().unwrap_or(0);
            assert_eq!(best, c.max, "{name}: the best bin is worth the maximum");
        }
        for e in m.events.values() {
            assert!(m.schedules.contains_key(&e.schedule));
        }
        assert_eq!(m.decay("minor", 0), Decimal::ONE);
        assert_eq!(m.decay("minor", 84), Decimal::ZERO);
        assert_eq!(bin(&m.characteristics["AO3"].edges, 6), 11);
    }
}
