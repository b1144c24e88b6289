//! What an operator watches, in Prometheus' text format on `/metrics` (its own address,
//! `--metrics-listen`, so it is never exposed with the API by accident): requests by route and status,
//! their latencies, failed logins, records stored, and from the store the bytes it holds and the devices
//! active in the last day.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use crate::problem::Failure;
use crate::{App, Store};

/// Upper bounds of the latency histogram's buckets, in seconds.
const BUCKETS: [&str; 10] = ["0.001", "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "5"];
/// The same bounds in microseconds, which is what is compared (no float arithmetic on the hot path).
const BUCKETS_US: [u64; 10] = [1_000, 5_000, 10_000, 25_000, 50_000, 100_000, 250_000, 500_000, 1_000_000, 5_000_000];

#[derive(Debug, Default)]
struct Latency {
    buckets: [u64; BUCKETS.len()],
    count: u64,
    sum_us: u64,
}

#[derive(Debug, Default)]
pub struct Metrics {
    requests: Mutex<BTreeMap<(String, String, u16), u64>>,
    latency: Mutex<BTreeMap<String, Latency>>,
    failed_logins: AtomicU64,
    records_stored: AtomicU64,
}

impl Metrics {
    pub fn failed_login(&self) {
        self.failed_logins.fetch_add(1, Ordering::Relaxed);
    }

    pub fn stored(&self, records: u64) {
        self.records_stored.fetch_add(records, Ordering::Relaxed);
    }

    fn request(&self, method: &str, route: &str, status: u16, micros: u64) {
        let mut requests = self.requests.lock().unwrap_or_else(PoisonError::into_inner);
        *requests.entry((method.to_string(), route.to_string(), status)).or_default() += 1;
        drop(requests);
        let mut latency = self.latency.lock().unwrap_or_else(PoisonError::into_inner);
        let entry = latency.entry(route.to_string()).or_default();
        for (bucket, bound) in entry.buckets.iter_mut().zip(BUCKETS_US) {
            if micros <= bound {
                *bucket += 1;
            }
        }
        entry.count += 1;
        entry.sum_us += micros;
    }

    fn render(&self, bytes_stored: u64, active_devices: u64) -> String {
        let mut out = String::new();
        out.push_str("# HELP credence_requests_total HTTP requests answered, by route and status.\n");
        out.push_str("# TYPE credence_requests_total counter\n");
        for ((method, route, status), n) in self.requests.lock().unwrap_or_else(PoisonError::into_inner).iter() {
            let _ = writeln!(
                out,
                "credence_requests_total{{method=\"{method}\",route=\"{route}\",status=\"{status}\"}} {n}"
            );
        }
        out.push_str("# HELP credence_request_duration_seconds Time to answer a request, by route.\n");
        out.push_str("# TYPE credence_request_duration_seconds histogram\n");
        for (route, latency) in self.latency.lock().unwrap_or_else(PoisonError::into_inner).iter() {
            for (bound, n) in BUCKETS.iter().zip(latency.buckets) {
                let _ =
                    writeln!(out, "credence_request_duration_seconds_bucket{{route=\"{route}\",le=\"{bound}\"}} {n}");
            }
            let _ = writeln!(
                out,
                "credence_request_duration_seconds_bucket{{route=\"{route}\",le=\"+Inf\"}} {}",
                latency.count
            );
            let _ = writeln!(
                out,
                "credence_request_duration_seconds_sum{{route=\"{route}\"}} {}.{:06}",
                latency.sum_us / 1_000_000,
                latency.sum_us % 1_000_000
            );
            let _ = writeln!(out, "credence_request_duration_seconds_count{{route=\"{route}\"}} {}", latency.count);
        }
        let mut single = |name: &str, kind: &str, help: &str, value: u64| {
            let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}\n{name} {value}");
        };
        single(
            "credence_failed_logins_total",
            "counter",
            "Logins refused (wrong password or code).",
            self.failed_logins.load(Ordering::Relaxed),
        );
        single(
            "credence_records_stored_total",
            "counter",
            "Records stored since the server started.",
            self.records_stored.load(Ordering::Relaxed),
        );
        single("credence_bytes_stored", "gauge", "Bytes of sealed records held.", bytes_stored);
        single("credence_active_devices", "gauge", "Devices that uploaded in the last 24 hours.", active_devices);
        out
    }
}

/// Counts and times every request under the route it matched (not its path: ids stay out of labels).
pub async fn record<S: Store>(State(app): State<App<S>>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().to_string();
    let route =
        request.extensions().get::<MatchedPath>().map_or_else(|| "unmatched".to_string(), |p| p.as_str().to_string());
    let response = next.run(request).await;
    let micros = u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX);
    let status = response.status().as_u16();
    app.metrics.request(&method, &route, status, micros);
    tracing::info!(%method, %route, status, micros, "request");
    response
}

pub fn router<S: Store>(app: App<S>) -> Router {
    Router::new().route("/metrics", get(serve::<S>)).with_state(app)
}

async fn serve<S: Store>(State(app): State<App<S>>) -> Result<Response, Failure> {
    let bytes = app.store.bytes_stored().await?;
    let day_ago = app.now() - 24 * 3600 * 1000;
    let active = app.store.active_devices(day_ago).await?;
    let body = app.metrics.render(bytes, active);
    Ok(([(axum::http::header::CONTENT_TYPE, "text/plain; version=0.0.4")], body).into_response())
}
