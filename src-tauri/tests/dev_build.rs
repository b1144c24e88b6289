//! A build without the embedded UI does not open a window that would load a local web server's page
//! (with every command of the app) unless a developer asks for it.

#[test]
fn a_build_without_the_embedded_ui_refuses_to_start() {
    if cfg!(feature = "custom-protocol") {
        return; // this build embeds the UI: nothing to refuse
    }
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_credence-desktop"))
        .env_remove("CREDENCE_DEV_SERVER")
        .env("CREDENCE_VAULT", std::env::temp_dir().join("credence-dev-build-test-never-created.vault"))
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("no embedded UI") && said.contains("CREDENCE_DEV_SERVER"), "{said}");
}
