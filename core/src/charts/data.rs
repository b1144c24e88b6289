//! What a chart shows, read from the vault through the analytics: exact amounts per month (or per
//! category) in one currency, percentages, or score points.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::analytics::{month_starts, MonthlyFilter, Period};
use crate::error::{Error, Result};
use crate::vault::Vault;

/// The charts there are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartKind {
    /// Income and spending per month, as bars.
    Monthly,
    /// Spending per category in the last month, as horizontal bars.
    Categories,
    /// Assets, debts and net worth at the end of each month, as lines.
    NetWorth,
    /// Each card's balance as a share of its limit, and all cards together, at each month's end, with
    /// the 30% and 10% guides.
    Utilization,
    /// The estimated credit score at each month's end, with the scores the user saw elsewhere.
    Score,
}

impl std::str::FromStr for ChartKind {
    type Err = Error;
    fn from_str(s: &str) -> Result<ChartKind> {
        Ok(match s {
            "monthly" => ChartKind::Monthly,
            "categories" => ChartKind::Categories,
            "net-worth" => ChartKind::NetWorth,
            "utilization" => ChartKind::Utilization,
            "score" => ChartKind::Score,
            other => {
                return Err(Error::invalid(format!(
                    "\"{other}\" is not a chart (use monthly, categories, net-worth, utilization or score)"
                )))
            }
        })
    }
}

/// A named series of values, one per label (`None`: nothing to show there).
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub name: String,
    pub values: Vec<Option<Decimal>>,
}

/// What a line chart's values are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unit {
    /// Money in this currency.
    Money(String),
    Percent,
    /// Credit-score points (the axis spans 300–850).
    ScorePoints,
}

/// A chart's content.
#[derive(Debug, Clone, PartialEq)]
pub enum ChartData {
    /// Side-by-side bars per label (months).
    Bars { title: String, currency: String, labels: Vec<String>, series: Vec<Series> },
    /// One bar per label, largest first.
    HorizontalBars { title: String, currency: String, items: Vec<(String, Decimal)> },
    /// Lines over labels (periods), with dashed guide lines.
    Lines { title: String, unit: Unit, labels: Vec<String>, series: Vec<Series>, guides: Vec<(String, Decimal)> },
}

impl Vault {
    /// The data of a chart over the `months` months up to `as_of`, in `currency` (default: the currency
    /// most accounts use; others are converted where the user gave rates, and left out otherwise).
    pub fn chart(&self, kind: ChartKind, as_of: NaiveDate, months: u32, currency: Option<&str>) -> Result<ChartData> {
        let currency = match currency {
            Some(c) => crate::values::currency_code(c)?,
            None => self.main_currency()?,
        };
        let months = months.clamp(1, 240);
        match kind {
            ChartKind::Monthly => self.monthly_bars(as_of, months, currency),
            ChartKind::Categories => self.category_bars(as_of, currency),
            ChartKind::NetWorth => self.net_worth_lines(as_of, months, currency),
            ChartKind::Utilization => self.utilization_lines(as_of, months, &currency),
            ChartKind::Score => self.score_lines(as_of, months),
        }
    }

    fn monthly_bars(&self, as_of: NaiveDate, months: u32, currency: String) -> Result<ChartData> {
        let starts = month_starts(as_of, months);
        let filter = MonthlyFilter {
            from: starts.first().copied(),
            to: Some(Period::Month.end(Period::Month.start(as_of))),
            convert_to: Some(currency.clone()),
            ..Default::default()
        };
        let report = self.monthly_report(&filter)?;
        let labels: Vec<String> = starts.iter().map(|s| Period::Month.label(*s)).collect();
        let of = |month: &str, pick: fn(&crate::analytics::MonthTotals) -> Decimal| {
            report.iter().find(|m| m.month == month && m.currency == currency).map(pick).or(Some(Decimal::ZERO))
        };
        let series = vec![
            Series { name: "Income".into(), values: labels.iter().map(|m| of(m, |t| t.income)).collect() },
            Series { name: "Spending".into(), values: labels.iter().map(|m| of(m, |t| -t.expense)).collect() },
        ];
        Ok(ChartData::Bars { title: "Income and spending".into(), currency, labels, series })
    }

    fn category_bars(&self, as_of: NaiveDate, currency: String) -> Result<ChartData> {
        let month = Period::Month.start(as_of);
        let mut items: Vec<(String, Decimal)> =
            self.spending_by_top_category(month, &currency)?.into_iter().map(|s| (s.category, s.amount)).collect();
        items.truncate(12);
        Ok(ChartData::HorizontalBars {
            title: format!("Spending by category, {}", Period::Month.label(month)),
            currency,
            items,
        })
    }

    fn net_worth_lines(&self, as_of: NaiveDate, months: u32, currency: String) -> Result<ChartData> {
        let points: Vec<_> =
            self.net_worth(as_of, months, Some(&currency))?.into_iter().filter(|p| p.currency == currency).collect();
        let labels: Vec<String> = month_starts(as_of, months).iter().map(|s| Period::Month.label(*s)).collect();
        let column = |pick: fn(&crate::analytics::NetWorthPoint) -> Decimal| {
            labels.iter().map(|m| Some(points.iter().find(|p| &p.month == m).map_or(Decimal::ZERO, pick))).collect()
        };
        let series = vec![
            Series { name: "Net worth".into(), values: column(|p| p.net) },
            Series { name: "Assets".into(), values: column(|p| p.assets) },
            Series { name: "Debts".into(), values: column(|p| p.debts) },
        ];
        Ok(ChartData::Lines {
            title: "Net worth".into(),
            unit: Unit::Money(currency),
            labels,
            series,
            guides: Vec::new(),
        })
    }

    fn utilization_lines(&self, as_of: NaiveDate, months: u32, currency: &str) -> Result<ChartData> {
        let points = self.utilization(as_of, months, currency)?;
        let labels: Vec<String> = points.iter().map(|p| p.month.clone()).collect();
        let mut series = vec![Series { name: "All cards".into(), values: points.iter().map(|p| p.overall).collect() }];
        let cards = points.first().map(|p| p.cards.len()).unwrap_or_default();
        for i in 0..cards {
            let name = points[0].cards[i].0.clone();
            series.push(Series { name, values: points.iter().map(|p| p.cards.get(i).map(|c| c.1)).collect() });
        }
        if cards == 1 {
            series.remove(0); // one card: "all cards" is the same line
        }
        Ok(ChartData::Lines {
            title: "Credit utilization".into(),
            unit: Unit::Percent,
            labels,
            series,
            guides: vec![("30%".into(), Decimal::from(30)), ("10%".into(), Decimal::from(10))],
        })
    }

    /// The estimate (FICO 8 flavour) at each month's end from the stored credit report, and the scores
    /// the user recorded from elsewhere, one series per family.
    fn score_lines(&self, as_of: NaiveDate, months: u32) -> Result<ChartData> {
        let profile = self.credit_report(as_of)?;
        let history = crate::score::history(&profile, as_of, months.saturating_sub(1), crate::score::Flavour::Fico8);
        Ok(score_chart(&history, &[]))
    }
}

/// The estimate month by month: `history` (up to now) as one line, `projection` (from now on, if
/// nothing changes) as another joined to it at now, and the scores the user saw as one series per family.
pub fn score_chart(history: &[crate::score::TimelinePoint], projection: &[crate::score::TimelinePoint]) -> ChartData {
    let future: Vec<_> = projection.iter().filter(|p| history.last().is_none_or(|h| p.date > h.date)).collect();
    let points: Vec<&crate::score::TimelinePoint> = history.iter().chain(future.iter().copied()).collect();
    let labels: Vec<String> = points.iter().map(|p| p.date.format("%Y-%m").to_string()).collect();
    let score = |p: &crate::score::TimelinePoint| p.score.map(Decimal::from);
    let mut series = vec![Series {
        name: "Estimate".into(),
        values: history.iter().map(score).chain(future.iter().map(|_| None)).collect(),
    }];
    if !future.is_empty() {
        // The projection starts where the history ends, so the two lines meet.
        let joint = history.len().saturating_sub(1);
        let values = (0..points.len())
            .map(|i| if i + 1 == history.len() || i > joint || history.is_empty() { score(points[i]) } else { None })
            .collect();
        series.push(Series { name: "Projection (nothing changes)".into(), values });
    }
    let mut families: Vec<String> = points.iter().flat_map(|p| p.reported.iter().map(|(f, _)| f.clone())).collect();
    families.sort();
    families.dedup();
    for family in families {
        let values = points
            .iter()
            .map(|p| p.reported.iter().find(|(f, _)| *f == family).map(|(_, v)| Decimal::from(*v)))
            .collect();
        series.push(Series { name: format!("Reported ({family})"), values });
    }
    ChartData::Lines {
        title: "Credit score".into(),
        unit: Unit::ScorePoints,
        labels,
        series,
        guides: vec![
            ("Good 670".into(), Decimal::from(670)),
            ("Very good 740".into(), Decimal::from(740)),
            ("Exceptional 800".into(), Decimal::from(800)),
        ],
    }
}

/// A trend as a chart: its values and moving average over its periods.
pub fn trend_chart(trend: &crate::analytics::Trend, title: &str) -> ChartData {
    let labels = trend.points.iter().map(|p| p.period.clone()).collect();
    let series = vec![
        Series { name: title.to_string(), values: trend.points.iter().map(|p| Some(p.value)).collect() },
        Series {
            name: format!("{}-{} average", trend.window, trend.period.as_str()),
            values: trend.points.iter().map(|p| p.moving_average).collect(),
        },
    ];
    ChartData::Lines {
        title: title.to_string(),
        unit: Unit::Money(trend.currency.clone()),
        labels,
        series,
        guides: Vec::new(),
    }
}
