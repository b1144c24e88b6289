//! `credence sync …`: end-to-end-encrypted sync through a sync server (docs/sync.md). The account
//! password comes from $CREDENCE_SYNC_PASSWORD or a prompt, the second factor from --otp or
//! $CREDENCE_SYNC_OTP; neither is the vault's passphrase, and neither can open the vault.

use std::io::IsTerminal;

use anyhow::{Context, Result};
use clap::Subcommand;
use credence_api::{self as api, convert};
use credence_core::sync::{self, Account, MemberRole, SyncProgress, Unlock};
use zeroize::Zeroizing;

use crate::commands::Ctx;
use crate::output::{print_json, Table};
use crate::secrets;

pub const SYNC_PASSWORD_ENV: &str = "CREDENCE_SYNC_PASSWORD";
pub const SYNC_OTP_ENV: &str = "CREDENCE_SYNC_OTP";
/// The new account password for `credence sync password`, when not asked for.
pub const SYNC_NEW_PASSWORD_ENV: &str = "CREDENCE_SYNC_NEW_PASSWORD";

#[derive(Debug, clap::Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct SyncArgs {
    #[command(subcommand)]
    command: Option<SyncCommand>,
}

#[derive(Debug, clap::Args)]
struct AccountArgs {
    /// The sync server (https://…).
    #[arg(long)]
    server: String,
    /// The account's user name.
    #[arg(long)]
    user: String,
    /// The second factor's current code (else $CREDENCE_SYNC_OTP).
    #[arg(long, env = SYNC_OTP_ENV, hide_env_values = true)]
    otp: Option<String>,
}

#[derive(Debug, Subcommand)]
enum SyncCommand {
    /// Turn sync on: register an account on the server with this vault as its first, and upload it.
    Register(AccountArgs),
    /// Set this machine up as another device of a vault on the server: creates the vault file (at
    /// --vault) from the account's data; needs the vault's passphrase or its recovery key.
    Join {
        #[command(flatten)]
        account: AccountArgs,
        /// Which of the account's vaults (needed only when it has several).
        #[arg(long = "vault-id")]
        vault_id: Option<String>,
        /// Unlock with the 24-word recovery key in this file (or $CREDENCE_RECOVERY_KEY) instead of the
        /// passphrase.
        #[arg(long, value_name = "FILE")]
        recovery_key_file: Option<std::path::PathBuf>,
    },
    /// Log in again (after a password change, or when the session ended).
    Login(AccountArgs),
    /// Change the sync account's password (the current one from $CREDENCE_SYNC_PASSWORD or a prompt,
    /// the new one from $CREDENCE_SYNC_NEW_PASSWORD or a prompt). The account's other devices then log in
    /// again with the new one; the vault's passphrase does not change.
    Password,
    /// Delete the sync account on the server with every vault it owns (their records and snapshots);
    /// sync turns off here and this vault's contents stay. Name the account to confirm.
    DeleteAccount {
        /// The account's user name, as a check that the right account goes.
        user: String,
    },
    /// Where sync stands: server, account, this device, changes waiting, last sync.
    Status,
    /// What last-writer-wins decided against: edits overwritten by a later one, edits of deleted rows,
    /// names settled.
    Conflicts {
        #[arg(long, default_value_t = 50)]
        limit: usize,
    },
    /// The vault's devices as the server knows them.
    Devices,
    /// The sync account's second factor: `totp enable` (shows the secret and recovery codes once),
    /// `totp confirm CODE`, `totp disable CODE`.
    #[command(subcommand)]
    Totp(TotpCommand),
    /// Refuse a device's uploads from now on (a lost or sold machine).
    Revoke { device: String },
    /// Turn sync off for this vault (its contents and the server's copy stay).
    Leave,
    /// Share the vault with another account (the owner only): as editor (reads and writes) or viewer
    /// (reads). The vault's key goes to the server sealed to that account's public key; compare the
    /// fingerprint shown with the one `credence sync members` shows on the member's device.
    Share {
        user: String,
        #[arg(long, default_value = "editor")]
        role: String,
    },
    /// Stop sharing the vault with an account (the owner only); the vault's key is replaced for what is
    /// written from then on, and the members who stay receive the new one.
    Unshare { user: String },
    /// Who shares the vault, with each account's key fingerprint.
    Members,
    /// Upload a snapshot of the vault now (`credence sync` takes one weekly by itself).
    Snapshot,
    /// The vault's snapshots on the server.
    Snapshots,
    /// Build a new vault file holding this vault as it was at a moment (point-in-time restore). With
    /// --server and --user it works on any machine (the account's password and the vault's passphrase or
    /// recovery key); without, from this vault's own sync settings.
    Restore(RestoreArgs),
}

#[derive(Debug, clap::Args)]
struct RestoreArgs {
    /// The moment: 2026-11-20T18:00:00Z (or with an offset), 2026-11-20 18:00 (local time), or
    /// 2026-11-20 (its end).
    #[arg(long)]
    at: String,
    /// The new vault file (must not exist).
    #[arg(long, value_name = "FILE")]
    out: std::path::PathBuf,
    /// The sync server, to restore without this vault (with --user).
    #[arg(long, requires = "user")]
    server: Option<String>,
    #[arg(long, requires = "server")]
    user: Option<String>,
    /// The second factor's current code (else $CREDENCE_SYNC_OTP).
    #[arg(long, env = SYNC_OTP_ENV, hide_env_values = true)]
    otp: Option<String>,
    /// Which of the account's vaults (needed only when it has several).
    #[arg(long = "vault-id")]
    vault_id: Option<String>,
    /// Unlock with the 24-word recovery key in this file (or $CREDENCE_RECOVERY_KEY).
    #[arg(long, value_name = "FILE")]
    recovery_key_file: Option<std::path::PathBuf>,
}

#[derive(Debug, Subcommand)]
enum TotpCommand {
    /// Set up an authenticator app: prints the secret, its otpauth:// address and recovery codes once.
    Enable,
    /// Turn it on with the app's current code (logins then ask for a code).
    Confirm { code: String },
    /// Turn it off (a current code or a recovery code).
    Disable { code: String },
}

pub fn run(ctx: &Ctx, args: SyncArgs) -> Result<()> {
    match args.command {
        None => sync_now(ctx),
        Some(SyncCommand::Register(account)) => register(ctx, &account),
        Some(SyncCommand::Join { account, vault_id, recovery_key_file }) => {
            join(ctx, &account, vault_id.as_deref(), recovery_key_file.as_deref())
        }
        Some(SyncCommand::Login(account)) => {
            let password = account_password(false)?;
            ctx.open()?.sync_login(&as_account(&account, &password))?;
            ctx.done(&format!("logged in to {} as {}", account.server, account.user))
        }
        Some(SyncCommand::Password) => {
            let current = password_from(SYNC_PASSWORD_ENV, "Current sync account password", false)?;
            let new = password_from(SYNC_NEW_PASSWORD_ENV, "New sync account password", true)?;
            ctx.open()?.sync_change_password(&current, &new)?;
            ctx.done(
                "the sync account's password is changed; the account's other devices log in again with it \
                 (credence sync login)",
            )
        }
        Some(SyncCommand::DeleteAccount { user }) => {
            let password = account_password(false)?;
            ctx.open()?.sync_delete_account(&user, &password)?;
            ctx.done(&format!(
                "the account {user} and every vault it owned are deleted from the server; sync is off for this \
                 vault, whose contents stay on this device"
            ))
        }
        Some(SyncCommand::Status) => status(ctx),
        Some(SyncCommand::Conflicts { limit }) => conflicts(ctx, limit),
        Some(SyncCommand::Devices) => devices(ctx),
        Some(SyncCommand::Totp(command)) => totp(ctx, command),
        Some(SyncCommand::Revoke { device }) => {
            ctx.open()?.sync_revoke(&device)?;
            ctx.done(&format!("device {device} can no longer upload to this vault"))
        }
        Some(SyncCommand::Leave) => {
            ctx.open()?.sync_leave()?;
            ctx.done("sync is off for this vault; its contents and the server's copy are unchanged")
        }
        Some(SyncCommand::Snapshot) => match ctx.open()?.sync_snapshot()? {
            Some(taken) if ctx.global.json => print_json(&convert::sync_snapshot(taken)),
            Some(taken) => {
                println!("snapshot {} uploaded ({} bytes, records through {})", taken.id, taken.bytes, taken.cursor);
                Ok(())
            }
            None => anyhow::bail!("the vault changed while the snapshot was taken; nothing was uploaded, try again"),
        },
        Some(SyncCommand::Share { user, role }) => {
            let member = ctx.open()?.sync_share(&user, MemberRole::for_sharing(&role)?)?;
            let member = convert::sync_member(member);
            if ctx.global.json {
                return print_json(&member);
            }
            println!("shared with {} as {}", member.user, member.role);
            println!("their key's fingerprint: {}", member.fingerprint.as_deref().unwrap_or_default());
            println!("(it should match what `credence sync members` shows on their device)");
            Ok(())
        }
        Some(SyncCommand::Unshare { user }) => {
            ctx.open()?.sync_unshare(&user)?;
            ctx.done(&format!(
                "{user} no longer shares this vault: the server refuses their devices, and what is written from \
                 now on is sealed under a new key they never had"
            ))
        }
        Some(SyncCommand::Members) => members(ctx),
        Some(SyncCommand::Snapshots) => snapshots(ctx),
        Some(SyncCommand::Restore(args)) => restore(ctx, &args),
    }
}

fn members(ctx: &Ctx) -> Result<()> {
    let list = convert::sync_members(ctx.open()?.sync_members()?);
    if ctx.global.json {
        return print_json(&list);
    }
    let mut table = Table::new(&[("ACCOUNT", false), ("ROLE", false), ("KEY FINGERPRINT", false), ("SINCE", false)]);
    for m in &list.members {
        let user = if m.you { format!("{} (you)", m.user) } else { m.user.clone() };
        let fingerprint = m.fingerprint.clone().unwrap_or_else(|| "(none yet)".into());
        table.row(vec![user, m.role.clone(), fingerprint, m.since.clone()]);
    }
    table.print();
    Ok(())
}

fn snapshots(ctx: &Ctx) -> Result<()> {
    let list = convert::sync_snapshots(ctx.open()?.sync_snapshots()?);
    if ctx.global.json {
        return print_json(&list);
    }
    if list.snapshots.is_empty() {
        println!("No snapshot yet (`credence sync snapshot` takes one).");
        return Ok(());
    }
    let mut table =
        Table::new(&[("SNAPSHOT", false), ("TAKEN", false), ("DEVICE", false), ("RECORDS TO", true), ("BYTES", true)]);
    for s in &list.snapshots {
        table.row(vec![s.id.clone(), s.taken_at.clone(), s.device.clone(), s.cursor.to_string(), s.bytes.to_string()]);
    }
    table.print();
    Ok(())
}

fn restore(ctx: &Ctx, args: &RestoreArgs) -> Result<()> {
    let at = sync::parse_moment(&args.at)?;
    let done = match (&args.server, &args.user) {
        (Some(server), Some(user)) => {
            let password = account_password(false)?;
            let account = Account { server, user, password: &password, otp: args.otp.as_deref() };
            with_unlock(ctx, args.recovery_key_file.as_deref(), |unlock| {
                Ok(sync::restore(&args.out, &account, args.vault_id.as_deref(), unlock, at)?)
            })?
        }
        _ => ctx.open()?.sync_restore(at, &args.out)?,
    };
    let done = convert::sync_restore(done);
    if ctx.global.json {
        return print_json(&done);
    }
    let from = done
        .snapshot
        .as_deref()
        .map_or("the records".to_string(), |s| format!("snapshot {s} and the records after it"));
    println!(
        "{} holds the vault as it was at {} (from {from}); it opens with the vault's passphrase and does not sync",
        done.path, done.at
    );
    Ok(())
}

/// The account password: given in the environment, or asked for (twice when it is being chosen).
fn account_password(choosing: bool) -> Result<Zeroizing<String>> {
    password_from(SYNC_PASSWORD_ENV, "Sync account password", choosing)
}

/// A password from the environment variable `env`, else asked for as `label` (twice when choosing).
fn password_from(env: &str, label: &str, choosing: bool) -> Result<Zeroizing<String>> {
    if let Ok(password) = std::env::var(env) {
        return Ok(Zeroizing::new(password));
    }
    anyhow::ensure!(std::io::stdin().is_terminal(), "no account password given: set {env} or run in a terminal");
    let ask = |prompt: String| {
        rpassword::prompt_password(prompt).map(Zeroizing::new).context("cannot read from the terminal")
    };
    let first = ask(format!("{label}: "))?;
    if choosing {
        let again = ask(format!("{label} again: "))?;
        anyhow::ensure!(*first == *again, "the two passwords differ; nothing was changed");
    }
    Ok(first)
}

fn as_account<'a>(args: &'a AccountArgs, password: &'a str) -> Account<'a> {
    Account { server: &args.server, user: &args.user, password, otp: args.otp.as_deref() }
}

fn report(ctx: &Ctx, report: &sync::SyncReport) -> Result<()> {
    if ctx.global.json {
        return print_json(&convert::sync_report(report));
    }
    println!("synced: {} records sent, {} received", report.pushed, report.pulled);
    if report.conflicts > 0 {
        println!("{} writes were decided against; see `credence sync conflicts`", report.conflicts);
    }
    Ok(())
}

fn totp(ctx: &Ctx, command: TotpCommand) -> Result<()> {
    let vault = ctx.open()?;
    match command {
        TotpCommand::Enable => {
            let setup = convert::totp_setup(vault.sync_totp_enrol()?);
            if ctx.global.json {
                return print_json(&setup);
            }
            println!("Add this to your authenticator app (shown only now):");
            println!("  secret: {}", setup.secret);
            println!("  {}", setup.uri);
            println!("Recovery codes, each good for one login without the app; keep them somewhere safe:");
            for code in &setup.recovery_codes {
                println!("  {code}");
            }
            println!("Then turn it on with `credence sync totp confirm CODE`.");
            Ok(())
        }
        TotpCommand::Confirm { code } => {
            vault.sync_totp_confirm(&code)?;
            ctx.done("logins to the sync account now ask for a code from the authenticator app")
        }
        TotpCommand::Disable { code } => {
            vault.sync_totp_remove(&code)?;
            ctx.done("logins to the sync account no longer ask for a code")
        }
    }
}

fn register(ctx: &Ctx, account: &AccountArgs) -> Result<()> {
    let password = account_password(true)?;
    let done = ctx.open()?.sync_register(&as_account(account, &password))?;
    if !ctx.global.json {
        println!("registered {} on {}; this vault is the account's first", account.user, account.server);
    }
    report(ctx, &done)
}

fn join(
    ctx: &Ctx,
    account: &AccountArgs,
    vault_id: Option<&str>,
    recovery_file: Option<&std::path::Path>,
) -> Result<()> {
    let password = account_password(false)?;
    let account = as_account(account, &password);
    // The vault's passphrase; for a vault shared with this account, the new file's own.
    let joined = with_unlock(ctx, recovery_file, |unlock| Ok(sync::join(ctx.path(), &account, vault_id, unlock)?))?;
    if ctx.global.json {
        return print_json(&api::SyncJoined {
            report: convert::sync_report(&joined.report),
            recovery_key: joined.recovery_key.as_ref().map(|k| k.dangerously_to_words().as_str().to_string()),
        });
    }
    match &joined.recovery_key {
        Some(recovery) => ctx.show_recovery_key(
            recovery,
            &format!("joined the shared vault: {} is your copy, under your passphrase", ctx.path().display()),
        )?,
        None => println!("joined: {} is a new device of the vault", ctx.path().display()),
    }
    report(ctx, &joined.report)
}

/// Runs `f` with the recovery key (from `recovery_file` or $CREDENCE_RECOVERY_KEY) when one is given,
/// else with the passphrase (from the usual places, or a prompt).
fn with_unlock<T>(
    ctx: &Ctx,
    recovery_file: Option<&std::path::Path>,
    f: impl FnOnce(Unlock<'_>) -> Result<T>,
) -> Result<T> {
    if recovery_file.is_some() || std::env::var(secrets::RECOVERY_KEY_ENV).is_ok() {
        let recovery = secrets::recovery_key(recovery_file)?;
        f(Unlock::RecoveryKey(&recovery))
    } else {
        let passphrase = secrets::unlock_passphrase(ctx.global.passphrase_file.as_deref())?;
        f(Unlock::Passphrase(&passphrase))
    }
}

fn sync_now(ctx: &Ctx) -> Result<()> {
    let mut vault = ctx.open()?;
    let bar = (!ctx.global.json && std::io::stderr().is_terminal())
        .then(|| indicatif::ProgressBar::with_draw_target(None, indicatif::ProgressDrawTarget::stderr()));
    let done = vault.sync_now(&mut |step| {
        if let Some(bar) = &bar {
            match step {
                SyncProgress::Pushed { done, total } => bar.set_message(format!("sent {done} of {total} records")),
                SyncProgress::Pulled { done } => bar.set_message(format!("received {done} records")),
            }
            bar.tick();
        }
    })?;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    report(ctx, &done)?;
    // The weekly snapshot; the sync itself already succeeded, so a failure here is told, not fatal.
    match vault.sync_snapshot_if_due(chrono::Utc::now()) {
        Ok(Some(taken)) if !ctx.global.json => println!("snapshot {} uploaded", taken.id),
        Ok(_) => {}
        Err(e) => eprintln!("warning: the sync went through, but no snapshot was taken: {e}"),
    }
    Ok(())
}

fn status(ctx: &Ctx) -> Result<()> {
    let status = convert::sync_status(ctx.open()?.sync_status()?);
    if ctx.global.json {
        return print_json(&status);
    }
    match &status.server {
        None => {
            println!("sync is off for this vault (turn it on with `credence sync register` or `credence sync join`)")
        }
        Some(server) => {
            println!("server:    {server}");
            println!("account:   {}", status.user.as_deref().unwrap_or_default());
            println!("device:    {}", status.device);
            println!("role:      {}", status.role.as_deref().unwrap_or("(not synced yet)"));
            println!("waiting:   {} changes", status.pending);
            println!("last sync: {}", status.last_sync.as_deref().unwrap_or("never"));
        }
    }
    Ok(())
}

fn conflicts(ctx: &Ctx, limit: usize) -> Result<()> {
    let list = convert::sync_conflicts(ctx.open()?.sync_conflicts(limit)?);
    if ctx.global.json {
        return print_json(&list);
    }
    if list.conflicts.is_empty() {
        println!("No write was decided against.");
        return Ok(());
    }
    let mut table = Table::new(&[
        ("DECIDED", false),
        ("WHAT", false),
        ("FIELD", false),
        ("KEPT", false),
        ("LOST", false),
        ("FROM", false),
    ]);
    for c in &list.conflicts {
        table.row(vec![
            c.decided_at.clone(),
            format!("{} {}", c.entity, c.entity_id),
            c.field.clone().unwrap_or_default(),
            c.kept.clone().unwrap_or_default(),
            c.lost.clone().unwrap_or_default(),
            format!("{} at {}", c.lost_device, c.lost_at),
        ]);
    }
    table.print();
    Ok(())
}

fn devices(ctx: &Ctx) -> Result<()> {
    let list = convert::sync_devices(ctx.open()?.sync_devices()?);
    if ctx.global.json {
        return print_json(&list);
    }
    let mut table = Table::new(&[
        ("DEVICE", false),
        ("ACCOUNT", false),
        ("FIRST SEEN", false),
        ("LAST SEEN", false),
        ("RECORDS", true),
        ("", false),
    ]);
    for d in &list.devices {
        let note = match (d.this_device, d.revoked) {
            (true, _) => "this device",
            (_, true) => "revoked",
            _ => "",
        };
        table.row(vec![
            d.device.clone(),
            d.user.clone(),
            d.first_seen.clone(),
            d.last_seen.clone(),
            d.records.to_string(),
            note.into(),
        ]);
    }
    table.print();
    Ok(())
}
