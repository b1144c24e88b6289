//! Any bytes, read as a bank statement: the reader may refuse them, but must never panic, hang or
//! blow up in memory (the run's -timeout and -rss_limit_mb enforce the last two).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let dir = std::env::temp_dir().join(format!("credence-fuzz-{}", std::process::id()));
    if std::fs::create_dir_all(&dir).is_err() {
        return;
    }
    let path = dir.join("statement");
    if std::fs::write(&path, data).is_ok() {
        let _ = credence_core::import::inspect(&path, &Default::default());
    }
});
