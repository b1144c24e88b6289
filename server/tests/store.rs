//! The storage conformance suite: the same cases against the embedded SQLite store and against a real
//! PostgreSQL (a throwaway cluster, tests/support/postgres.rs). A backend is right when it passes all.

mod support;

use credence_protocol::{Identity, MemberGrant, NewSnapshot, Record, Role, Sealed};
use credence_server::store::{Store, StoreError, StoredKeys};
use credence_server::{PostgresStore, SqliteStore};

const HOUR: i64 = 3600 * 1000;
const MB: u64 = 1024 * 1024;

fn keys(check: &[u8]) -> StoredKeys {
    StoredKeys { check: check.to_vec(), key_file: b"wrapped keys".to_vec(), epoch: 0 }
}

fn record(device: &str, seq: u64, data: &[u8]) -> Record {
    Record { device: device.into(), seq, data: Sealed(data.to_vec()) }
}

async fn users_and_sessions<S: Store>(store: &S) {
    let id = store.create_user("ada", "hash-1", 1_000).await.expect("create");
    assert!(
        matches!(store.create_user("ada", "hash-2", 2_000).await, Err(StoreError::Conflict(_))),
        "names are unique"
    );
    let user = store.user_by_name("ada").await.expect("by name").expect("found");
    assert_eq!((user.id, user.password_hash.as_str(), user.created_at), (id, "hash-1", 1_000));
    assert!(store.user_by_name("nobody").await.expect("by name").is_none());
    assert_eq!(store.user(id).await.expect("by id").map(|u| u.name), Some("ada".to_string()));

    let (a, b) = ([1u8; 32], [2u8; 32]);
    store.create_session(&a, id, 10_000, 10_000 + HOUR).await.expect("session a");
    store.create_session(&b, id, 10_000, 10_000 + HOUR).await.expect("session b");
    let owner = store.session(&a, 20_000).await.expect("lookup").expect("live");
    assert_eq!((owner.user_id, owner.name.as_str()), (id, "ada"));
    assert!(store.session(&a, 10_000 + HOUR).await.expect("lookup").is_none(), "expired at its end");
    assert!(store.session(&[3u8; 32], 20_000).await.expect("lookup").is_none(), "unknown token");
    store.end_session(&a).await.expect("logout");
    assert!(store.session(&a, 20_000).await.expect("lookup").is_none(), "ended");
    assert!(store.session(&b, 20_000).await.expect("lookup").is_some(), "the other session lives on");
    store.set_password(id, "hash-3", None).await.expect("password");
    assert!(store.session(&b, 20_000).await.expect("lookup").is_none(), "a password change ends every session");
    assert_eq!(store.user(id).await.expect("by id").expect("found").password_hash, "hash-3");
}

async fn second_factor<S: Store>(store: &S) {
    let id = store.create_user("grace", "h", 0).await.expect("create");
    assert!(matches!(store.confirm_totp(id).await, Err(StoreError::NotFound)), "nothing enrolled to confirm");
    store.enrol_totp(id, b"secret-1", &[[7u8; 32], [8u8; 32]]).await.expect("enrol");
    let user = store.user(id).await.expect("user").expect("found");
    assert_eq!((user.totp_secret, user.totp_pending.as_deref()), (None, Some(&b"secret-1"[..])));
    store.confirm_totp(id).await.expect("confirm");
    let user = store.user(id).await.expect("user").expect("found");
    assert_eq!((user.totp_secret.as_deref(), user.totp_pending), (Some(&b"secret-1"[..]), None));

    assert!(store.use_totp_step(id, 100).await.expect("step"));
    assert!(!store.use_totp_step(id, 100).await.expect("step"), "the same step twice is a replay");
    assert!(!store.use_totp_step(id, 99).await.expect("step"), "an older step too");
    assert!(store.use_totp_step(id, 101).await.expect("step"));

    assert!(store.use_recovery_code(id, &[7u8; 32]).await.expect("code"));
    assert!(!store.use_recovery_code(id, &[7u8; 32]).await.expect("code"), "a recovery code works once");
    assert!(!store.use_recovery_code(id, &[9u8; 32]).await.expect("code"), "not one of the account's");
    store.remove_totp(id).await.expect("remove");
    let user = store.user(id).await.expect("user").expect("found");
    assert!(user.totp_secret.is_none());
    assert!(!store.use_recovery_code(id, &[8u8; 32]).await.expect("code"), "codes go with the factor");
}

async fn login_failures_and_audit<S: Store>(store: &S) {
    for at in [1_000, 2_000, 3_000] {
        store.add_login_failure("user:x", at, 0).await.expect("failure");
    }
    store.add_login_failure("address:10.0.0.1", 2_500, 0).await.expect("failure");
    assert_eq!(store.login_failures("user:x", 0).await.expect("count"), (3, Some(1_000)));
    assert_eq!(store.login_failures("user:x", 1_500).await.expect("count"), (2, Some(2_000)));
    assert_eq!(store.login_failures("user:y", 0).await.expect("count"), (0, None));
    store.add_login_failure("user:x", 10_000, 2_500).await.expect("failure, forgetting older ones");
    assert_eq!(store.login_failures("user:x", 0).await.expect("count"), (2, Some(3_000)));

    let id = store.create_user("audited", "h", 0).await.expect("create");
    store.audit(id, "registered", "127.0.0.1", "", 1_000).await.expect("audit");
    store.audit(id, "vault_created", "127.0.0.1", "v-1", 2_000).await.expect("audit");
    store.audit(id, "login", "::1", "", 3_000).await.expect("audit");
    let log = store.audit_log(id, 2).await.expect("log");
    let events: Vec<(&str, &str, &str)> =
        log.iter().map(|e| (e.event.as_str(), e.address.as_str(), e.subject.as_str())).collect();
    assert_eq!(events, [("login", "::1", ""), ("vault_created", "127.0.0.1", "v-1")], "newest first, limited");
}

async fn vaults_and_records<S: Store>(store: &S) {
    let owner = store.create_user("owner", "h", 0).await.expect("create");
    let other = store.create_user("other", "h", 0).await.expect("create");
    let vault = "0b3a5f2e-0000-4000-8000-000000000001";
    store.create_vault(vault, owner, &keys(b"check"), 5_000).await.expect("vault");
    assert!(matches!(store.create_vault(vault, other, &keys(b"x"), 6_000).await, Err(StoreError::Conflict(_))));
    assert_eq!(store.role(vault, owner).await.expect("role"), Some(Role::Owner));
    assert_eq!(store.role(vault, other).await.expect("role"), None);
    assert_eq!(store.role("no-such-vault", owner).await.expect("role"), None);
    let mine = store.vaults_of(owner).await.expect("vaults");
    assert_eq!((mine.len(), mine[0].vault.as_str(), mine[0].role), (1, vault, Role::Owner));
    assert!(store.vaults_of(other).await.expect("vaults").is_empty());
    assert_eq!(store.vault_keys(vault).await.expect("keys"), keys(b"check"));
    assert!(matches!(store.vault_keys("no-such-vault").await, Err(StoreError::NotFound)));

    let bytes_before = store.bytes_stored().await.expect("bytes");
    let first = [record("laptop", 1, b"aaaa"), record("laptop", 2, b"bb"), record("phone", 1, b"c")];
    let receipt = store.put_records(vault, owner, &first, 10_000).await.expect("put");
    assert_eq!((receipt.stored, receipt.unchanged, receipt.cursor), (3, 0, 3));
    let again = store.put_records(vault, owner, &first, 11_000).await.expect("retry");
    assert_eq!((again.stored, again.unchanged, again.cursor), (0, 3, 3), "a retry stores nothing twice");
    let repeated = [record("laptop", 3, b"d"), record("laptop", 3, b"d")];
    let receipt = store.put_records(vault, owner, &repeated, 12_000).await.expect("put");
    assert_eq!((receipt.stored, receipt.unchanged, receipt.cursor), (1, 1, 4), "a repeat within an upload counts once");

    // All or none: a mismatching record refuses the fresh one beside it too.
    let mixed = [record("laptop", 4, b"new"), record("laptop", 1, b"changed")];
    match store.put_records(vault, owner, &mixed, 13_000).await {
        Err(StoreError::Mismatch { device, seq }) => assert_eq!((device.as_str(), seq), ("laptop", 1)),
        other => panic!("expected a mismatch, got {other:?}"),
    }
    let all = store.records_after(vault, 0, 100, MB).await.expect("records").0;
    let order: Vec<(u64, &str, u64, &[u8])> =
        all.iter().map(|r| (r.cursor, r.device.as_str(), r.seq, r.data.0.as_slice())).collect();
    assert_eq!(
        order,
        [(1, "laptop", 1, &b"aaaa"[..]), (2, "laptop", 2, b"bb"), (3, "phone", 1, b"c"), (4, "laptop", 3, b"d")]
    );
    let (page, more) = store.records_after(vault, 1, 2, MB).await.expect("page");
    assert!(more, "a record follows the page");
    assert_eq!(page.iter().map(|r| r.cursor).collect::<Vec<_>>(), [2, 3]);
    assert_eq!(store.records_after(vault, 4, 10, MB).await.expect("page"), (Vec::new(), false));
    // Pages are cut by size too: a page holds at least one record, and beyond it no more than asked.
    let (by_size, more) = store.records_after(vault, 0, 100, 5).await.expect("page");
    assert_eq!(
        (by_size.iter().map(|r| r.cursor).collect::<Vec<_>>(), more),
        (vec![1], true),
        "4 bytes, then 2 more would pass 5"
    );
    let (by_size, more) = store.records_after(vault, 1, 100, 3).await.expect("page");
    assert_eq!((by_size.iter().map(|r| r.cursor).collect::<Vec<_>>(), more), (vec![2, 3], true));
    assert_eq!(store.bytes_stored().await.expect("bytes") - bytes_before, 8);

    let devices = store.devices(vault).await.expect("devices");
    let seen: Vec<(&str, &str, u64, bool, i64)> = devices
        .iter()
        .map(|d| (d.device.as_str(), d.user.as_str(), d.records, d.revoked, d.last_seen.timestamp_millis()))
        .collect();
    assert_eq!(seen, [("laptop", "owner", 3, false, 12_000), ("phone", "owner", 1, false, 10_000)]);
    assert_eq!(store.active_devices(11_000).await.expect("active"), 1);

    store.revoke_device(vault, "phone").await.expect("revoke");
    assert!(matches!(store.revoke_device(vault, "tablet").await, Err(StoreError::NotFound)));
    match store.put_records(vault, owner, &[record("laptop", 5, b"e"), record("phone", 2, b"f")], 14_000).await {
        Err(StoreError::Revoked(device)) => assert_eq!(device, "phone"),
        other => panic!("expected the revoked device refused, got {other:?}"),
    }
    assert_eq!(
        store.records_after(vault, 0, 100, MB).await.expect("records").0.len(),
        4,
        "nothing of a refused upload stays"
    );
    assert!(matches!(store.put_records("no-such-vault", owner, &first, 15_000).await, Err(StoreError::NotFound)));

    // Deleting the owner takes the vault and its records; the other account stays.
    store.delete_user(owner).await.expect("delete");
    assert!(store.user(owner).await.expect("user").is_none());
    assert!(matches!(store.vault_keys(vault).await, Err(StoreError::NotFound)));
    assert!(store.records_after(vault, 0, 100, MB).await.expect("records").0.is_empty());
    assert!(store.user(other).await.expect("user").is_some());
}

fn new_snapshot(id: &str, cursor: u64, parts: u32) -> NewSnapshot {
    NewSnapshot {
        id: id.into(),
        device: "d1".into(),
        cursor,
        parts,
        taken_at: chrono::DateTime::from_timestamp_millis(5_000).expect("time"),
    }
}

/// Snapshots arrive in parts, count once complete, are listed newest first, and go after the
/// retention time (all but the newest); a vault's deletion takes them.
async fn snapshots<S: Store>(store: &S) {
    let owner = store.create_user("keeper", "h", 0).await.expect("create");
    let vault = "0b3a5f2e-0000-4000-8000-000000000003";
    store.create_vault(vault, owner, &keys(b"check"), 0).await.expect("vault");

    store.begin_snapshot(vault, &new_snapshot("s1", 10, 2), 1_000).await.expect("begin");
    store.begin_snapshot(vault, &new_snapshot("s1", 10, 2), 1_100).await.expect("the same again is a retry");
    assert!(
        matches!(store.begin_snapshot(vault, &new_snapshot("s1", 11, 2), 1_200).await, Err(StoreError::Conflict(_))),
        "another snapshot under a taken id"
    );
    assert!(
        matches!(store.complete_snapshot(vault, "s1", 1_300, 0).await, Err(StoreError::Refused(_))),
        "not all parts are there"
    );
    store.put_snapshot_part(vault, "s1", 0, b"part zero").await.expect("part 0");
    store.put_snapshot_part(vault, "s1", 0, b"part zero").await.expect("part 0 again");
    assert!(matches!(store.put_snapshot_part(vault, "s1", 0, b"other").await, Err(StoreError::Refused(_))));
    assert!(
        matches!(store.put_snapshot_part(vault, "s1", 2, b"x").await, Err(StoreError::NotFound)),
        "beyond the last"
    );
    assert!(matches!(store.put_snapshot_part(vault, "nope", 0, b"x").await, Err(StoreError::NotFound)));
    assert!(store.snapshots(vault).await.expect("list").is_empty(), "incomplete snapshots are not listed");
    assert!(matches!(store.snapshot_part(vault, "s1", 0).await, Err(StoreError::NotFound)), "nor read");
    store.put_snapshot_part(vault, "s1", 1, b"part one!").await.expect("part 1");
    let done = store.complete_snapshot(vault, "s1", 2_000, 0).await.expect("complete");
    assert_eq!((done.id.as_str(), done.cursor, done.parts, done.bytes), ("s1", 10, 2, 18));
    assert_eq!(done.stored_at.timestamp_millis(), 2_000);
    assert_eq!(store.complete_snapshot(vault, "s1", 9_000, 0).await.expect("again").stored_at, done.stored_at);
    assert!(matches!(store.put_snapshot_part(vault, "s1", 1, b"late").await, Err(StoreError::Refused(_))));
    assert_eq!(store.snapshot_part(vault, "s1", 1).await.expect("read"), b"part one!");

    // A second one, and an upload abandoned half way.
    store.begin_snapshot(vault, &new_snapshot("s2", 20, 1), 3_000).await.expect("begin");
    store.put_snapshot_part(vault, "s2", 0, b"two").await.expect("part");
    store.begin_snapshot(vault, &new_snapshot("abandoned", 25, 3), 3_500).await.expect("begin");
    store.complete_snapshot(vault, "s2", 4_000, 0).await.expect("complete");
    let listed: Vec<String> = store.snapshots(vault).await.expect("list").into_iter().map(|s| s.id).collect();
    assert_eq!(listed, ["s2", "s1"], "newest first");
    assert!(store.bytes_stored().await.expect("bytes") >= 21, "snapshots count in the bytes stored");

    // Retention: kept since 3,800 → s1 (stored 2,000) and the abandoned upload (begun 3,500) go; the
    // newest stays whatever its age.
    store.begin_snapshot(vault, &new_snapshot("s3", 30, 1), 5_000).await.expect("begin");
    store.put_snapshot_part(vault, "s3", 0, b"three").await.expect("part");
    store.complete_snapshot(vault, "s3", 6_000, 3_800).await.expect("complete");
    let listed: Vec<String> = store.snapshots(vault).await.expect("list").into_iter().map(|s| s.id).collect();
    assert_eq!(listed, ["s3", "s2"]);
    assert!(matches!(store.snapshot_part(vault, "s1", 0).await, Err(StoreError::NotFound)), "its parts went too");
    assert!(matches!(store.put_snapshot_part(vault, "abandoned", 0, b"x").await, Err(StoreError::NotFound)));
    store.begin_snapshot(vault, &new_snapshot("s4", 40, 1), 7_000).await.expect("begin");
    store.put_snapshot_part(vault, "s4", 0, b"four").await.expect("part");
    store.complete_snapshot(vault, "s4", 100_000, 99_000).await.expect("complete");
    let listed: Vec<String> = store.snapshots(vault).await.expect("list").into_iter().map(|s| s.id).collect();
    assert_eq!(listed, ["s4"], "everything older than the retention goes, the newest stays");

    // A revoked device takes no snapshot.
    store.put_records(vault, owner, &[record("d9", 1, b"r")], 8_000).await.expect("put");
    store.revoke_device(vault, "d9").await.expect("revoke");
    let from_revoked = NewSnapshot { device: "d9".into(), ..new_snapshot("s5", 41, 1) };
    assert!(matches!(store.begin_snapshot(vault, &from_revoked, 9_000).await, Err(StoreError::Revoked(_))));

    store.delete_user(owner).await.expect("delete");
    assert!(store.snapshots(vault).await.expect("list").is_empty(), "a deleted vault's snapshots go");
}

/// Households: key pairs, members with roles, the key sealed for each; the owner stays the owner.
async fn households<S: Store>(store: &S) {
    let owner = store.create_user("alice", "h", 0).await.expect("create");
    let bob = store.create_user("bob", "h", 0).await.expect("create");
    store.create_user("carol", "h", 0).await.expect("create");
    let vault = "0b3a5f2e-0000-4000-8000-000000000004";
    store.create_vault(vault, owner, &keys(b"check"), 100).await.expect("vault");

    assert_eq!(store.identity(bob).await.expect("identity"), None);
    assert_eq!(store.public_key("bob").await.expect("key"), None, "no key pair yet");
    let identity = |n: u8| Identity { public: Sealed(vec![n; 32]), sealed_private: Sealed(vec![n + 100; 72]) };
    store.set_identity(owner, &identity(1)).await.expect("set");
    store.set_identity(bob, &identity(2)).await.expect("set");
    assert_eq!(store.identity(bob).await.expect("identity"), Some(identity(2)));
    assert!(
        matches!(store.set_identity(bob, &identity(3)).await, Err(StoreError::Refused(_))),
        "a key pair is never replaced"
    );
    assert!(matches!(store.set_identity(999_999, &identity(3)).await, Err(StoreError::NotFound)));
    assert_eq!(store.public_key("bob").await.expect("key").map(|k| k.public), Some(Sealed(vec![2; 32])));
    assert_eq!(store.public_key("nobody").await.expect("key"), None);
    store.set_password(bob, "h2", Some(b"sealed again")).await.expect("password and key pair");
    let resealed = Identity { public: Sealed(vec![2; 32]), sealed_private: Sealed(b"sealed again".to_vec()) };
    assert_eq!(store.identity(bob).await.expect("identity"), Some(resealed), "the same public key, sealed anew");
    store.set_password(bob, "h3", None).await.expect("password only");
    assert_eq!(
        store.identity(bob).await.expect("identity").map(|i| i.sealed_private.0),
        Some(b"sealed again".to_vec())
    );

    let one = |sealed: &[u8]| vec![(0u32, sealed.to_vec())];
    store.put_member(vault, owner, "bob", Role::Editor, &one(b"sealed for bob"), 200).await.expect("share");
    store.put_member(vault, owner, "carol", Role::Viewer, &one(b"sealed for carol"), 300).await.expect("share");
    assert_eq!(store.role(vault, bob).await.expect("role"), Some(Role::Editor));
    let members: Vec<(String, Role)> =
        store.members(vault).await.expect("members").into_iter().map(|m| (m.user, m.role)).collect();
    assert_eq!(
        members,
        [("alice".to_string(), Role::Owner), ("bob".to_string(), Role::Editor), ("carol".to_string(), Role::Viewer)]
    );
    let grants = store.grants(vault, bob).await.expect("grants");
    assert_eq!(grants.len(), 1);
    assert_eq!(
        (grants[0].epoch, grants[0].from.as_str(), grants[0].from_public.0.clone(), grants[0].sealed.0.clone()),
        (0, "alice", vec![1; 32], b"sealed for bob".to_vec())
    );
    assert!(store.vaults_of(bob).await.expect("vaults").iter().any(|v| v.vault == vault && v.role == Role::Editor));

    // A new role and key for bob replace the old.
    store.put_member(vault, owner, "bob", Role::Viewer, &one(b"again for bob"), 400).await.expect("reshare");
    assert_eq!(store.role(vault, bob).await.expect("role"), Some(Role::Viewer));
    assert_eq!(store.grants(vault, bob).await.expect("grants")[0].sealed.0, b"again for bob");

    for refused in [
        store.put_member(vault, owner, "alice", Role::Editor, &one(b"x"), 500).await,
        store.put_member(vault, owner, "bob", Role::Owner, &one(b"x"), 500).await,
        store.put_member(vault, owner, "bob", Role::Editor, &[], 500).await,
        store.put_member(vault, owner, "bob", Role::Editor, &[(1, b"x".to_vec())], 500).await,
    ] {
        assert!(matches!(refused, Err(StoreError::Refused(_))), "{refused:?}");
    }
    assert!(matches!(
        store.put_member(vault, owner, "nobody", Role::Viewer, &one(b"x"), 500).await,
        Err(StoreError::NotFound)
    ));

    // Removing bob begins generation 1: its check, and its key for those who stay (carol and alice).
    let stay = |names: &[&str]| -> Vec<MemberGrant> {
        names
            .iter()
            .map(|n| MemberGrant { user: n.to_string(), sealed: Sealed(format!("gen 1 for {n}").into_bytes()) })
            .collect()
    };
    for (epoch, grants) in [(2, stay(&["alice", "carol"])), (1, stay(&["alice"])), (1, stay(&["alice", "bob"]))] {
        let refused = store.rotate(vault, owner, "bob", epoch, b"check 1", &grants, 600).await;
        assert!(matches!(refused, Err(StoreError::Conflict(_) | StoreError::Refused(_))), "{epoch} {refused:?}");
    }
    assert_eq!(store.role(vault, bob).await.expect("role"), Some(Role::Viewer), "a refused rotation changed nothing");
    assert!(matches!(
        store.rotate(vault, owner, "alice", 1, b"c", &stay(&["bob", "carol"]), 600).await,
        Err(StoreError::Refused(_))
    ));
    store.rotate(vault, owner, "bob", 1, b"check 1", &stay(&["alice", "carol"]), 600).await.expect("rotate");
    assert_eq!(store.role(vault, bob).await.expect("role"), None, "bob no longer sees the vault");
    assert!(store.grants(vault, bob).await.expect("grants").is_empty(), "and his keys went with him");
    let keys = store.vault_keys(vault).await.expect("keys");
    assert_eq!((keys.epoch, keys.check.as_slice()), (1, &b"check 1"[..]), "the current generation's check");
    let carols: Vec<u32> =
        store.grants(vault, carol_id(store).await).await.expect("grants").iter().map(|g| g.epoch).collect();
    assert_eq!(carols, [0, 1]);
    assert!(matches!(
        store.rotate(vault, owner, "bob", 2, b"c", &stay(&["alice", "carol"]), 700).await,
        Err(StoreError::NotFound)
    ));
    // A member shared with from now on gets every generation.
    assert!(matches!(
        store.put_member(vault, owner, "bob", Role::Editor, &one(b"x"), 800).await,
        Err(StoreError::Refused(_))
    ));
    store
        .put_member(vault, owner, "bob", Role::Editor, &[(0, b"g0".to_vec()), (1, b"g1".to_vec())], 800)
        .await
        .expect("share again");
    assert_eq!(store.members(vault).await.expect("members").len(), 3);
}

async fn carol_id<S: Store>(store: &S) -> i64 {
    store.user_by_name("carol").await.expect("user").expect("carol").id
}

/// Uploads to one vault from many devices at once: every record gets its own cursor, 1..=N, none lost
/// and none twice, so a reader paging by cursor sees each exactly once.
async fn concurrent_uploads<S: Store>(store: std::sync::Arc<S>) {
    let owner = store.create_user("busy", "h", 0).await.expect("create");
    let vault = "0b3a5f2e-0000-4000-8000-000000000002";
    store.create_vault(vault, owner, &keys(b"check"), 0).await.expect("vault");
    let mut tasks = Vec::new();
    for device in 0..8 {
        let store = std::sync::Arc::clone(&store);
        tasks.push(tokio::spawn(async move {
            for batch in 0..5u64 {
                let records: Vec<Record> =
                    (1..=10).map(|i| record(&format!("d{device}"), batch * 10 + i, b"x")).collect();
                store.put_records(vault, owner, &records, 1_000).await.expect("put");
            }
        }));
    }
    for task in tasks {
        task.await.expect("task");
    }
    let all = store.records_after(vault, 0, 1_000, u64::MAX).await.expect("records").0;
    assert_eq!(all.iter().map(|r| r.cursor).collect::<Vec<_>>(), (1..=400).collect::<Vec<u64>>());
    let mut keys: Vec<(String, u64)> = all.iter().map(|r| (r.device.clone(), r.seq)).collect();
    keys.sort();
    keys.dedup();
    assert_eq!(keys.len(), 400);
}

async fn suite<S: Store>(store: S) {
    store.ready().await.expect("ready");
    users_and_sessions(&store).await;
    second_factor(&store).await;
    login_failures_and_audit(&store).await;
    vaults_and_records(&store).await;
    snapshots(&store).await;
    households(&store).await;
    concurrent_uploads(std::sync::Arc::new(store)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_store_passes_the_conformance_suite() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().to_path_buf();
    let store = tokio::task::spawn_blocking(move || SqliteStore::open(&path)).await.expect("task").expect("open");
    suite(store).await;
    // Reopening runs no migration twice and keeps what was stored.
    let path = dir.path().to_path_buf();
    let reopened = tokio::task::spawn_blocking(move || SqliteStore::open(&path)).await.expect("task").expect("reopen");
    assert!(reopened.user_by_name("ada").await.expect("user").is_some());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_store_passes_the_conformance_suite() {
    let cluster = tokio::task::spawn_blocking(support::postgres::TestPostgres::start).await.expect("cluster");
    let url = cluster.fresh_database();
    let store = PostgresStore::connect(&url, 8).await.expect("connect");
    suite(store).await;
    // A second server on the same database finds the schema in place.
    let again = PostgresStore::connect(&url, 2).await.expect("reconnect");
    assert!(again.user_by_name("ada").await.expect("user").is_some());
    drop(again);
    tokio::task::spawn_blocking(move || drop(cluster)).await.expect("stop");
}
