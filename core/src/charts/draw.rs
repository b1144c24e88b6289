//! Drawing: one function per chart shape, generic over the backend (SVG or bitmap).

use plotters::coord::Shift;
use plotters::prelude::*;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

use super::{ChartData, Theme, Unit};
use crate::error::{Error, Result};

type Drawn<DB> = std::result::Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

const FONT: &str = "sans-serif";

struct Palette {
    background: RGBColor,
    text: RGBColor,
    grid: RGBColor,
    series: [RGBColor; 5],
    guide: RGBColor,
}

fn palette(theme: Theme) -> Palette {
    match theme {
        Theme::Light => Palette {
            background: RGBColor(255, 255, 255),
            text: RGBColor(23, 33, 43),
            grid: RGBColor(226, 231, 235),
            series: [
                RGBColor(31, 122, 112),
                RGBColor(214, 84, 72),
                RGBColor(67, 97, 238),
                RGBColor(224, 162, 27),
                RGBColor(124, 77, 173),
            ],
            guide: RGBColor(150, 160, 170),
        },
        Theme::Dark => Palette {
            background: RGBColor(24, 32, 38),
            text: RGBColor(230, 236, 239),
            grid: RGBColor(48, 60, 68),
            series: [
                RGBColor(79, 184, 170),
                RGBColor(255, 138, 128),
                RGBColor(144, 170, 255),
                RGBColor(240, 196, 90),
                RGBColor(190, 150, 230),
            ],
            guide: RGBColor(120, 132, 142),
        },
    }
}

/// The bundled font, registered once per process for bitmap output (SVG leaves text to the viewer).
pub(super) fn register_font() -> Result<()> {
    static REGISTERED: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    let ok = REGISTERED.get_or_init(|| {
        plotters::style::register_font(FONT, FontStyle::Normal, include_bytes!("../../assets/fonts/DejaVuSans.ttf"))
            .is_ok()
    });
    if *ok {
        Ok(())
    } else {
        Err(Error::invalid("the chart font could not be loaded"))
    }
}

pub(super) fn chart<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, data: &ChartData, theme: Theme) -> Drawn<DB> {
    let p = palette(theme);
    root.fill(&p.background)?;
    match data {
        ChartData::Bars { title, currency, labels, series } => bars(root, &p, title, currency, labels, series),
        ChartData::HorizontalBars { title, currency, items } => horizontal_bars(root, &p, title, currency, items),
        ChartData::Lines { title, unit, labels, series, guides } => {
            lines(root, &p, title, unit, labels, series, guides)
        }
    }
}

/// `n` slots, one per label (a segmented range includes its end).
fn slots(n: usize) -> plotters::coord::ranged1d::SegmentedCoord<plotters::coord::types::RangedCoordusize> {
    (0..n.saturating_sub(1)).into_segmented()
}

fn float(d: Decimal) -> f64 {
    d.to_f64().unwrap_or(0.0)
}

/// "$1,234" / "€1.2M": axis labels in whole units of the currency.
fn money_label(value: f64, currency: &str) -> String {
    let symbol = match currency {
        "USD" => "$",
        "EUR" => "€",
        "GBP" => "£",
        "JPY" => "¥",
        _ => "",
    };
    let sign = if value < 0.0 { "−" } else { "" };
    let abs = value.abs();
    let number = if abs >= 1_000_000.0 {
        format!("{:.1}M", abs / 1_000_000.0)
    } else {
        let whole = format!("{:.0}", abs);
        let mut grouped = String::new();
        for (i, c) in whole.chars().enumerate() {
            if i > 0 && (whole.len() - i) % 3 == 0 {
                grouped.push(',');
            }
            grouped.push(c);
        }
        grouped
    };
    if symbol.is_empty() {
        format!("{sign}{number} {currency}")
    } else {
        format!("{sign}{symbol}{number}")
    }
}

/// "2026-03" → "Mar 26", a week's "2026-03-02" → "2 Mar 26"; quarters and years as they are.
fn month_label(label: &str) -> String {
    use chrono::NaiveDate;
    if let Ok(day) = NaiveDate::parse_from_str(label, "%Y-%m-%d") {
        return day.format("%-d %b %y").to_string();
    }
    NaiveDate::parse_from_str(&format!("{label}-01"), "%Y-%m-%d")
        .map_or_else(|_| label.to_string(), |d| d.format("%b %y").to_string())
}

fn caption_style(p: &Palette) -> TextStyle<'static> {
    (FONT, 22).into_font().color(&p.text)
}

fn label_style(p: &Palette) -> TextStyle<'static> {
    (FONT, 14).into_font().color(&p.text)
}

/// Room above the largest value, and a floor at zero unless a value is below it.
fn value_range(values: impl Iterator<Item = f64>) -> std::ops::Range<f64> {
    let (mut lo, mut hi) = (0.0f64, 0.0f64);
    for v in values {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    if hi <= lo {
        hi = lo + 100.0; // nothing to show yet: a readable empty scale rather than $0 … $1
    }
    let pad = (hi - lo) * 0.08;
    (if lo < 0.0 { lo - pad } else { 0.0 })..(hi + pad)
}

fn legend<'a, DB: DrawingBackend + 'a, C: CoordTranslate>(
    chart: &mut ChartContext<'a, DB, C>,
    p: &Palette,
) -> Drawn<DB> {
    legend_at(chart, p, SeriesLabelPosition::UpperLeft)
}

fn legend_at<'a, DB: DrawingBackend + 'a, C: CoordTranslate>(
    chart: &mut ChartContext<'a, DB, C>,
    p: &Palette,
    at: SeriesLabelPosition,
) -> Drawn<DB> {
    chart
        .configure_series_labels()
        .position(at)
        .background_style(p.background.mix(0.85))
        .border_style(p.grid)
        .label_font(label_style(p))
        .draw()
}

fn bars<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    p: &Palette,
    title: &str,
    currency: &str,
    labels: &[String],
    series: &[super::Series],
) -> Drawn<DB> {
    let range = value_range(series.iter().flat_map(|s| s.values.iter().flatten().map(|v| float(*v))));
    let mut chart = ChartBuilder::on(root)
        .caption(title, caption_style(p))
        .margin(20)
        .x_label_area_size(40)
        .y_label_area_size(90)
        .build_cartesian_2d(slots(labels.len()), range)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(p.grid)
        .axis_style(p.guide)
        .label_style(label_style(p))
        .x_labels(labels.len().min(12))
        .x_label_formatter(&|v| match v {
            SegmentValue::CenterOf(i) => labels.get(*i).map(|l| month_label(l)).unwrap_or_default(),
            _ => String::new(),
        })
        .y_label_formatter(&|v| money_label(*v, currency))
        .draw()?;
    // One series fills a month's slot; two split it at the centre (income left, spending right).
    let halves = series.len() == 2;
    for (n, s) in series.iter().enumerate() {
        let colour = p.series[n % p.series.len()];
        chart
            .draw_series(s.values.iter().enumerate().filter_map(|(i, v)| v.map(|v| (i, float(v)))).map(|(i, v)| {
                let (from, to, left, right) = match (halves, n) {
                    (true, 0) => (SegmentValue::Exact(i), SegmentValue::CenterOf(i), 8, 1),
                    (true, _) => (SegmentValue::CenterOf(i), SegmentValue::Exact(i + 1), 1, 8),
                    (false, _) => (SegmentValue::Exact(i), SegmentValue::Exact(i + 1), 8, 8),
                };
                let mut bar = Rectangle::new([(from, 0.0), (to, v)], colour.filled());
                bar.set_margin(0, 0, left, right);
                bar
            }))?
            .label(s.name.clone())
            .legend(move |(x, y)| Rectangle::new([(x, y - 6), (x + 14, y + 6)], colour.filled()));
    }
    legend(&mut chart, p)
}

fn horizontal_bars<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    p: &Palette,
    title: &str,
    currency: &str,
    items: &[(String, Decimal)],
) -> Drawn<DB> {
    if items.is_empty() {
        root.titled(title, caption_style(p))?;
        let (w, h) = root.dim_in_pixel();
        let style = label_style(p).pos(plotters::style::text_anchor::Pos::new(
            plotters::style::text_anchor::HPos::Center,
            plotters::style::text_anchor::VPos::Center,
        ));
        return root.draw(&Text::new("No spending in this month", (w as i32 / 2, h as i32 / 2), style));
    }
    let range = value_range(items.iter().map(|(_, v)| float(*v)));
    let mut chart = ChartBuilder::on(root)
        .caption(title, caption_style(p))
        .margin(20)
        .x_label_area_size(40)
        .y_label_area_size(170)
        .build_cartesian_2d(range, slots(items.len()))?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(p.grid)
        .axis_style(p.guide)
        .label_style(label_style(p))
        .y_labels(items.len().max(1))
        .y_label_formatter(&|v| match v {
            SegmentValue::CenterOf(i) => items.get(*i).map(|(name, _)| name.clone()).unwrap_or_default(),
            _ => String::new(),
        })
        .x_label_formatter(&|v| money_label(*v, currency))
        .draw()?;
    let colour = p.series[1];
    chart.draw_series(items.iter().enumerate().map(|(i, (_, v))| {
        let mut bar =
            Rectangle::new([(0.0, SegmentValue::Exact(i)), (float(*v), SegmentValue::Exact(i + 1))], colour.filled());
        bar.set_margin(5, 5, 0, 0);
        bar
    }))?;
    Ok(())
}

fn lines<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    p: &Palette,
    title: &str,
    unit: &Unit,
    labels: &[String],
    series: &[super::Series],
    guides: &[(String, Decimal)],
) -> Drawn<DB> {
    let values = series.iter().flat_map(|s| s.values.iter().flatten().map(|v| float(*v)));
    let range = match unit {
        Unit::ScorePoints => 300.0..850.0,
        _ => value_range(values.chain(guides.iter().map(|(_, v)| float(*v)))),
    };
    let last = labels.len().saturating_sub(1).max(1);
    let mut chart = ChartBuilder::on(root)
        .caption(title, caption_style(p))
        .margin(20)
        .x_label_area_size(40)
        .y_label_area_size(90)
        .build_cartesian_2d(0..last, range)?;
    chart
        .configure_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(p.grid)
        .axis_style(p.guide)
        .label_style(label_style(p))
        .x_labels(labels.len().min(12))
        .x_label_formatter(&|i| labels.get(*i).map(|l| month_label(l)).unwrap_or_default())
        .y_label_formatter(&|v| match unit {
            Unit::Money(currency) => money_label(*v, currency),
            Unit::Percent => format!("{v:.0}%"),
            Unit::ScorePoints => format!("{v:.0}"),
        })
        .draw()?;
    for (label, value) in guides {
        let y = float(*value);
        let style = ShapeStyle::from(&p.guide).stroke_width(1);
        chart
            .draw_series(DashedLineSeries::new(vec![(0, y), (last, y)], 6, 4, style))?
            .label(format!("{label} guide"))
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 14, y)], style));
    }
    for (n, s) in series.iter().enumerate() {
        let colour = p.series[n % p.series.len()];
        let points: Vec<(usize, f64)> =
            s.values.iter().enumerate().filter_map(|(i, v)| v.map(|v| (i, float(v)))).collect();
        chart
            .draw_series(LineSeries::new(points.clone(), colour.stroke_width(3)))?
            .label(s.name.clone())
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 14, y)], colour.stroke_width(3)));
        chart.draw_series(points.iter().map(|(x, y)| Circle::new((*x, *y), 3, colour.filled())))?;
    }
    // Scores sit in the upper part of their 300–850 axis, so the legend goes where the lines are not.
    let at = if *unit == Unit::ScorePoints { SeriesLabelPosition::LowerRight } else { SeriesLabelPosition::UpperLeft };
    legend_at(&mut chart, p, at)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axis_labels_are_money_and_months() {
        assert_eq!(money_label(1234.4, "USD"), "$1,234");
        assert_eq!(money_label(-950.0, "EUR"), "−€950");
        assert_eq!(money_label(2_500_000.0, "GBP"), "£2.5M");
        assert_eq!(money_label(12.0, "CHF"), "12 CHF");
        assert_eq!(month_label("2026-03"), "Mar 26");
        assert_eq!(month_label("2026-03-02"), "2 Mar 26");
        assert_eq!(month_label("2026-Q1"), "2026-Q1");
    }
}
