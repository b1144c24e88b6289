//! ARCHITECTURE.md's invariants about where things live, checked on the source (in the style of
//! rust-analyzer's tidy tests): a change that breaks one fails here, naming the file and line.

use std::path::{Path, PathBuf};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Every `.rs` file under `dir`, as (path relative to the workspace, text up to its first
/// `#[cfg(test)]`: unit tests may do what the code may not, to set up a fault).
fn sources(dir: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())).flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") && path.file_name().is_some_and(|n| n != "tests.rs") {
                let text = std::fs::read_to_string(&path).expect("read");
                let code = text.split("#[cfg(test)]").next().unwrap_or_default().to_string();
                let name = path.strip_prefix(workspace()).unwrap_or(&path).display().to_string();
                out.push((name.replace('\\', "/"), code));
            }
        }
    }
    out.sort();
    out
}

/// (file, line number, line) of each code line (comments aside) containing any of `needles`.
fn lines_with<'a>(files: &'a [(String, String)], needles: &[&str]) -> Vec<(&'a str, usize, &'a str)> {
    let mut found = Vec::new();
    for (name, text) in files {
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or_default();
            if needles.iter().any(|needle| code.contains(needle)) {
                found.push((name.as_str(), n + 1, line.trim()));
            }
        }
    }
    found
}

const SQL_WRITES: [&str; 5] = ["INSERT INTO", "INSERT OR", "UPDATE ", "DELETE FROM", "REPLACE INTO"];

#[test]
fn sql_writes_happen_only_in_the_journal_and_the_documented_exceptions() {
    // ARCHITECTURE.md: ledger tables are written only through `Vault::write` (journal/). The others:
    // the derived monthly totals (kept inside the same operation), the vault's identity row written once
    // at creation, the schema itself, and sync's own bookkeeping (never ledger tables).
    let allowed = [
        "core/src/journal/",
        "core/src/analytics/totals.rs",
        "core/src/vault/mod.rs",
        "core/src/vault/migrations.rs",
        "core/src/sync/state.rs",
    ];
    let files = sources(&workspace().join("core/src"));
    assert!(files.len() > 30, "found core's sources");
    let strays: Vec<_> = lines_with(&files, &SQL_WRITES)
        .into_iter()
        .filter(|(name, _, _)| !allowed.iter().any(|a| name.starts_with(a)))
        .collect();
    assert!(strays.is_empty(), "SQL writes outside journal/ (write through Vault::write): {strays:#?}");
}

#[test]
fn core_types_are_serialized_only_where_a_stored_or_exchanged_format_needs_it() {
    // JSON shapes belong to the contract (api/); core serializes only what it stores or exchanges as a
    // documented format: the key file, stored rules, the credit-profile exchange format, saved reports,
    // operations as sync carries them.
    let allowed = [
        "core/src/analytics/saved.rs",
        "core/src/rules/mod.rs",
        "core/src/score/profile.rs",
        "core/src/sync/ops.rs",
        "core/src/vault/keyfile.rs",
    ];
    let files = sources(&workspace().join("core/src"));
    let mut serializing: Vec<&str> = lines_with(&files, &["Serialize"])
        .into_iter()
        .filter(|(_, _, line)| {
            line.starts_with("#[derive(")
                || line.starts_with("impl Serialize")
                || line.starts_with("impl serde::Serialize")
        })
        .map(|(name, _, _)| name)
        .collect();
    serializing.dedup();
    assert_eq!(serializing, allowed, "a core type became Serialize: map it to a credence-api shape instead");
}

#[test]
fn the_shells_hold_no_sql_and_no_database() {
    // The CLI, the desktop shell and the REST API call core; none opens the database or writes SQL.
    for shell in ["cli/src", "src-tauri", "rest/src"] {
        let files = sources(&workspace().join(shell));
        assert!(!files.is_empty(), "found {shell}");
        let sql = lines_with(&files, &["SELECT ", "INSERT INTO", "DELETE FROM", "rusqlite", "PRAGMA "]);
        assert!(sql.is_empty(), "SQL or the database in a shell (put it in core): {sql:#?}");
    }
    for manifest in ["cli/Cargo.toml", "Cargo.toml", "rest/Cargo.toml", "api/Cargo.toml", "ui/Cargo.toml"] {
        let text = std::fs::read_to_string(workspace().join(manifest)).expect("manifest");
        let dependencies = text.split("[dependencies]").nth(1).unwrap_or_default();
        let dependencies = dependencies.split("\n[").next().unwrap_or_default();
        assert!(!dependencies.contains("rusqlite"), "{manifest} depends on the database directly");
    }
}

#[test]
fn every_door_prints_the_contract_s_shapes_not_its_own() {
    // ARCHITECTURE.md: the CLI's --json, the app's bridge and the REST API serialize credence-api's types;
    // a `json!` literal or a `serde_json::Value` built in a shell is a second, drifting mapping.
    for shell in ["cli/src", "src-tauri", "rest/src"] {
        // The shell's own code; its tests read JSON documents as they please.
        let files: Vec<_> =
            sources(&workspace().join(shell)).into_iter().filter(|(name, _)| !name.contains("/tests/")).collect();
        assert!(!files.is_empty(), "found {shell}");
        let literals = lines_with(&files, &["json!", "serde_json::Value", "Value::Object"]);
        assert!(literals.is_empty(), "JSON built by hand in a shell (add the shape to api/): {literals:#?}");
    }
}

#[test]
fn core_has_no_ui_ipc_http_or_async_dependency() {
    let text = std::fs::read_to_string(workspace().join("core/Cargo.toml")).expect("manifest");
    let dependencies = text.split("[dependencies]").nth(1).unwrap_or_default();
    let dependencies = dependencies.split("\n[").next().unwrap_or_default();
    for crate_name in ["tokio", "axum", "hyper", "tauri", "yew", "credence-api", "utoipa", "futures"] {
        assert!(
            !dependencies.lines().any(|l| l.trim_start().starts_with(crate_name)),
            "core depends on {crate_name}; it belongs in a shell or the contract"
        );
    }
}
