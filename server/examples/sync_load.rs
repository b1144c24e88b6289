//! Load on a running sync server: D simulated devices (default 1,000), 4 to a vault (each vault an
//! account of its own), each pushing N records (default 1,000; 300 bytes, the size of a sealed small
//! edit) in uploads of 100 and then pulling its vault's records from the start in pages of 1,000.
//! C devices run at once (default 64). Prints throughput and the p50/p99 latency of uploads and of
//! pages. scripts/bench-sync.sh runs it against the embedded store and PostgreSQL and reads the
//! server's peak memory:
//!     cargo run --release -p credence-server --example sync_load -- http://127.0.0.1:8470 1000 1000 64

#![allow(clippy::float_arithmetic)] // timing figures

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use credence_protocol::{NewVault, Record, RecordPage, Sealed, Session, Upload};
use serde_json::json;

const DEVICES_PER_VAULT: usize = 4;
const BATCH: usize = 100;
const RECORD_BYTES: usize = 300;

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder().timeout_global(Some(Duration::from_secs(120))).build().into()
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let url = args.get(1).cloned().unwrap_or_else(|| "http://127.0.0.1:8470".into());
    let devices: usize = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(1000);
    let per_device: usize = args.get(3).and_then(|a| a.parse().ok()).unwrap_or(1000);
    let concurrency: usize = args.get(4).and_then(|a| a.parse().ok()).unwrap_or(64);
    let vaults = devices.div_ceil(DEVICES_PER_VAULT);

    // Accounts and vaults first (Argon2id per account: not what is measured).
    let setup = Instant::now();
    let run = std::process::id();
    let tokens: Vec<(String, String)> = (0..vaults)
        .map(|v| {
            let session: Session = agent()
                .post(format!("{url}/api/v1/users/register"))
                .send_json(json!({"user": format!("load{run}-{v}"), "password": "load test password"}))?
                .body_mut()
                .read_json()?;
            let vault = format!("00000000-0000-4000-8000-{:04x}{:08x}", run % 0x10000, v);
            agent()
                    .post(format!("{url}/api/v1/vaults"))
                    .header("Authorization", format!("Bearer {}", session.token))
                    .send_json(NewVault {
                        vault: vault.clone(),
                        check: Sealed(vec![1; 64]),
                        key_file: Sealed(vec![2; 512]),
                    })?;
            Ok((session.token, vault))
        })
        .collect::<Result<_, Box<dyn std::error::Error>>>()?;
    println!("set up {vaults} accounts and vaults in {:.1} s", setup.elapsed().as_secs_f64());

    let next = Arc::new(AtomicUsize::new(0));
    let uploads = Arc::new(Mutex::new(Vec::new()));
    let pages = Arc::new(Mutex::new(Vec::new()));
    let pulled = Arc::new(AtomicUsize::new(0));
    let tokens = Arc::new(tokens);
    let started = Instant::now();
    let workers: Vec<_> = (0..concurrency)
        .map(|_| {
            let (next, uploads, pages, pulled, tokens, url) = (
                Arc::clone(&next),
                Arc::clone(&uploads),
                Arc::clone(&pages),
                Arc::clone(&pulled),
                Arc::clone(&tokens),
                url.clone(),
            );
            std::thread::spawn(move || -> Result<(), String> {
                let agent = agent();
                loop {
                    let device = next.fetch_add(1, Ordering::SeqCst);
                    if device >= devices {
                        return Ok(());
                    }
                    let (token, vault) = &tokens[device / DEVICES_PER_VAULT];
                    let auth = format!("Bearer {token}");
                    for batch in 0..per_device.div_ceil(BATCH) {
                        let records = (batch * BATCH..((batch + 1) * BATCH).min(per_device))
                            .map(|i| Record {
                                device: format!("dev{device}"),
                                seq: i as u64 + 1,
                                data: Sealed(vec![(i % 251) as u8; RECORD_BYTES]),
                            })
                            .collect();
                        let sent = Instant::now();
                        agent
                            .post(format!("{url}/api/v1/vaults/{vault}/records"))
                            .header("Authorization", &auth)
                            .send_json(Upload { records })
                            .map_err(|e| e.to_string())?;
                        uploads.lock().map_err(|e| e.to_string())?.push(sent.elapsed());
                    }
                    let mut after = 0;
                    loop {
                        let sent = Instant::now();
                        let page: RecordPage = agent
                            .get(format!("{url}/api/v1/vaults/{vault}/records?after={after}"))
                            .header("Authorization", &auth)
                            .call()
                            .map_err(|e| e.to_string())?
                            .body_mut()
                            .read_json()
                            .map_err(|e| e.to_string())?;
                        pages.lock().map_err(|e| e.to_string())?.push(sent.elapsed());
                        pulled.fetch_add(page.records.len(), Ordering::Relaxed);
                        after = page.next;
                        if !page.more {
                            break;
                        }
                    }
                }
            })
        })
        .collect();
    for worker in workers {
        worker.join().map_err(|_| "a worker panicked")??;
    }
    let elapsed = started.elapsed().as_secs_f64();
    let pushed = devices * per_device;
    let mut uploads = uploads.lock().map_err(|e| e.to_string())?.clone();
    let mut pages = pages.lock().map_err(|e| e.to_string())?.clone();
    uploads.sort();
    pages.sort();
    println!("{devices} devices × {per_device} records, {concurrency} at once: {elapsed:.1} s");
    println!(
        "pushed {pushed} records: {:.0} records/s; uploads of {BATCH}: p50 {:.1} ms, p99 {:.1} ms ({} requests)",
        pushed as f64 / elapsed,
        percentile(&uploads, 0.5),
        percentile(&uploads, 0.99),
        uploads.len()
    );
    println!(
        "pulled {} records: pages p50 {:.1} ms, p99 {:.1} ms ({} requests)",
        pulled.load(Ordering::Relaxed),
        percentile(&pages, 0.5),
        percentile(&pages, 0.99),
        pages.len()
    );
    Ok(())
}
