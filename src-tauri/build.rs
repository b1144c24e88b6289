//! tauri-build, with an app manifest: each of the app's commands gets an `allow-<command>` permission,
//! and only what `capabilities/default.json` grants can be called from the window (without a manifest,
//! Tauri lets the webview call every command). The commands are read from `generate_handler!` in
//! main.rs, the one list of them; `src-tauri/tests/capabilities.rs` checks the capability grants each.

fn main() {
    println!("cargo:rerun-if-changed=src-tauri/main.rs");
    let main = std::fs::read_to_string("src-tauri/main.rs").unwrap_or_else(|e| panic!("src-tauri/main.rs: {e}"));
    let commands: &'static [&'static str] =
        Vec::leak(handler_commands(&main).into_iter().map(|c| &*String::leak(c)).collect());
    assert!(!commands.is_empty(), "no commands found in generate_handler! in src-tauri/main.rs");
    // The package root is the workspace root, so the capability files are found under src-tauri/.
    let attributes = tauri_build::Attributes::new()
        .capabilities_path_pattern("./src-tauri/capabilities/**/*")
        .app_manifest(tauri_build::AppManifest::new().commands(commands));
    if let Err(e) = tauri_build::try_build(attributes) {
        panic!("tauri-build: {e:#}");
    }
}

/// The names inside `generate_handler![commands::a, sync::b, …]`.
fn handler_commands(main: &str) -> Vec<String> {
    let Some(start) = main.find("generate_handler![") else { return Vec::new() };
    let list = &main[start..];
    let list = &list[..list.find(']').unwrap_or(list.len())];
    list.split(|c: char| c == ',' || c == '[' || c.is_whitespace())
        .filter_map(|item| item.rsplit_once("::").map(|(_, name)| name))
        .map(str::to_string)
        .collect()
}
