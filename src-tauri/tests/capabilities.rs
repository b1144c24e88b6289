//! The window may call exactly the app's commands and no file or dialog API, and no command takes a
//! filesystem path from the webview (files arrive as handles from `chosen.rs`).

use std::collections::BTreeSet;

fn source(path: &str) -> String {
    std::fs::read_to_string(format!("{}/src-tauri/{path}", env!("CARGO_MANIFEST_DIR")))
        .unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn registered_commands() -> BTreeSet<String> {
    let main = source("main.rs");
    let block = &main[main.find("generate_handler![").expect("generate_handler! in main.rs")..];
    let block = &block[..block.find(']').expect("end of the list")];
    block
        .split(|c: char| c == ',' || c == '[' || c.is_whitespace())
        .filter_map(|i| i.rsplit_once("::").map(|(_, name)| name))
        .map(str::to_string)
        .collect()
}

#[test]
fn the_capability_grants_each_command_and_nothing_that_reaches_files() {
    let capability: serde_json::Value =
        serde_json::from_str(&source("capabilities/default.json")).expect("capability JSON");
    let permissions: Vec<String> = capability["permissions"]
        .as_array()
        .expect("permissions")
        .iter()
        .map(|p| p.as_str().expect("a name").to_string())
        .collect();
    let granted: BTreeSet<String> =
        permissions.iter().filter_map(|p| p.strip_prefix("allow-")).map(|c| c.replace('-', "_")).collect();
    assert_eq!(
        granted,
        registered_commands(),
        "capabilities/default.json grants exactly the commands main.rs registers"
    );
    let others: Vec<&String> = permissions.iter().filter(|p| !p.starts_with("allow-")).collect();
    assert!(
        others.iter().all(|p| p.starts_with("core:event:")),
        "only event listening besides the app's commands: {others:?}"
    );
    let build =
        std::fs::read_to_string(format!("{}/src-tauri/build.rs", env!("CARGO_MANIFEST_DIR"))).expect("build.rs");
    assert!(build.contains(".app_manifest("), "without an app manifest Tauri lets the webview call every command");
}

#[test]
fn no_command_takes_a_path_from_the_webview() {
    let commands = source("commands.rs") + &source("sync.rs");
    let mut signatures = Vec::new();
    for (i, _) in commands.match_indices("#[tauri::command") {
        let rest = &commands[i..];
        signatures.push(&rest[..rest.find('{').unwrap_or(rest.len())]);
    }
    assert!(signatures.len() > 50, "found the commands ({})", signatures.len());
    for signature in signatures {
        // A parameter called `path`, `file_path`, …: any name ending in "path" that is not about
        // categories, or any path type.
        let params = signature.split(['(', ',']).map(str::trim);
        let named_path =
            params.filter_map(|p| p.split_once(':')).any(|(name, _)| name.ends_with("path") && name != "category_path");
        let path_type = ["PathBuf", "&Path", "Path<"].iter().any(|t| signature.contains(t));
        assert!(!named_path && !path_type, "a command takes a path; take a chosen-file handle instead:\n{signature}");
    }
}
