//! Charts drawn with plotters: SVG (the desktop app, reports) and PNG (export), light and dark. The data
//! comes from the analytics (`Vault::chart`), already exact; amounts become floats only here, as pixel
//! positions. Text is measured and (in PNGs) drawn with the bundled DejaVu Sans, so a chart looks the
//! same on every machine.

// Pixel geometry, not money: every amount was computed exactly before it got here.
#![allow(clippy::float_arithmetic)]

mod data;
mod draw;

use std::path::Path;

use plotters::prelude::IntoDrawingArea;

pub use data::{score_chart, trend_chart, ChartData, ChartKind, Series, Unit};

use crate::error::{Error, Result};

/// Light or dark colours (the desktop app follows the OS).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Theme {
    Light,
    Dark,
}

impl std::str::FromStr for Theme {
    type Err = Error;
    fn from_str(s: &str) -> Result<Theme> {
        match s {
            "light" => Ok(Theme::Light),
            "dark" => Ok(Theme::Dark),
            other => Err(Error::invalid(format!("\"{other}\" is not a theme (use light or dark)"))),
        }
    }
}

/// Width and height of a rendered chart, in pixels.
pub const SIZE: (u32, u32) = (960, 540);

/// The chart as an SVG document.
pub fn svg(data: &ChartData, theme: Theme) -> Result<String> {
    draw::register_font()?; // plotters measures text to lay the chart out, whatever the backend
    let mut out = String::new();
    {
        let root = plotters::prelude::SVGBackend::with_string(&mut out, SIZE).into_drawing_area();
        draw::chart(&root, data, theme).map_err(draw_error)?;
        root.present().map_err(draw_error)?;
    }
    Ok(out)
}

/// The chart as a PNG image.
pub fn png(data: &ChartData, theme: Theme) -> Result<Vec<u8>> {
    draw::register_font()?;
    let (width, height) = SIZE;
    let mut pixels = vec![0u8; width as usize * height as usize * 3];
    {
        let root = plotters::prelude::BitMapBackend::with_buffer(&mut pixels, SIZE).into_drawing_area();
        draw::chart(&root, data, theme).map_err(draw_error)?;
        root.present().map_err(draw_error)?;
    }
    let mut out = Vec::new();
    image::ImageEncoder::write_image(
        image::codecs::png::PngEncoder::new(&mut out),
        &pixels,
        width,
        height,
        image::ColorType::Rgb8,
    )
    .map_err(draw_error)?;
    Ok(out)
}

/// Writes the chart as a PNG file (whole or not at all).
pub fn write_png(data: &ChartData, theme: Theme, path: &Path) -> Result<()> {
    crate::files::write_atomically(path, &png(data, theme)?)
}

fn draw_error(e: impl std::fmt::Display) -> Error {
    Error::invalid(format!("the chart could not be drawn: {e}"))
}
