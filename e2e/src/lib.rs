//! Nothing here: the end-to-end tests are in tests/app.rs (run by scripts/e2e.sh).
