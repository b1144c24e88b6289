//! The sync protocol on the wire (JSON over HTTP, under `/api/v1`): what a device sends the sync server
//! and what it answers, one definition for both. Everything the server stores of a vault arrives here
//! already sealed ([`Sealed`]): it sees account names, device ids, sizes and times, never a payee, an
//! amount, a score or a key. docs/sync.md describes the protocol; the server's routes are in
//! `server/src/routes.rs`.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Sealed bytes (a record or the vault's key check), carried as standard base64.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Sealed(pub Vec<u8>);

impl std::fmt::Debug for Sealed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Sealed({} bytes)", self.0.len())
    }
}

impl Serialize for Sealed {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&data_encoding::BASE64.encode(&self.0))
    }
}

impl<'de> Deserialize<'de> for Sealed {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        data_encoding::BASE64
            .decode(text.as_bytes())
            .map(Sealed)
            .map_err(|_| serde::de::Error::custom("not standard base64"))
    }
}

/// `POST /api/v1/users/register`: a new account. `POST /api/v1/users/login` takes the same fields plus
/// `otp` once the account has a second factor (a 6-digit code or one of its recovery codes).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Credentials {
    pub user: String,
    pub password: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub otp: Option<String>,
}

/// A session: the bearer token every other request carries (`Authorization: Bearer …`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Session {
    pub token: String,
    pub user: String,
    pub expires_at: DateTime<Utc>,
}

/// `GET /api/v1/users/profile`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Profile {
    pub user: String,
    pub created_at: DateTime<Utc>,
    /// Whether logging in asks for a second factor.
    pub totp: bool,
    pub vaults: Vec<VaultSummary>,
}

/// A vault the account can reach, and as what.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VaultSummary {
    pub vault: String,
    pub role: Role,
    pub created_at: DateTime<Utc>,
}

/// What a member may do with a shared vault (the original design's roles).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Everything, including sharing it and deleting it.
    Owner,
    /// Reads and writes records.
    Editor,
    /// Reads records only.
    Viewer,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::Editor => "editor",
            Role::Viewer => "viewer",
        }
    }

    pub fn parse(text: &str) -> Option<Role> {
        [Role::Owner, Role::Editor, Role::Viewer].into_iter().find(|r| r.as_str() == text)
    }

    pub fn can_write(self) -> bool {
        matches!(self, Role::Owner | Role::Editor)
    }
}

/// `POST /api/v1/users/password`: answers a new [`Session`]; every other session of the account ends.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PasswordChange {
    pub password: String,
    pub new_password: String,
    /// The account's private key sealed again under the new password's identity key (a device does
    /// this: docs/sync.md). Required once the account has a key pair, and stored in the same step as
    /// the new password, so no change can leave the key pair sealed under a password that is gone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sealed_private: Option<Sealed>,
}

/// `DELETE /api/v1/users/profile`: the account and every vault it owns, with their records, go.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PasswordConfirmation {
    pub password: String,
}

/// `POST /api/v1/users/totp`: a second factor to confirm (`TotpCode` to `…/totp/confirm`) before it is
/// asked for. The recovery codes are shown once; each logs in once instead of a code.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TotpEnrollment {
    /// The shared secret, base32 (what authenticator apps take by hand).
    pub secret: String,
    /// `otpauth://totp/…`, for a QR code.
    pub uri: String,
    pub recovery_codes: Vec<String>,
}

/// A 6-digit code from the authenticator (confirming or removing the second factor).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TotpCode {
    pub code: String,
}

/// `GET /api/v1/users/audit`: the account's events, newest first.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AuditLog {
    pub events: Vec<AuditEvent>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditEvent {
    pub at: DateTime<Utc>,
    /// `registered`, `login`, `login_failed`, `logout`, `password_changed`, `totp_enabled`,
    /// `totp_disabled`, `recovery_code_used`, `vault_created`, `device_revoked`, `identity_set`,
    /// `member_added`, `member_removed`.
    pub event: String,
    /// The client's address, as the server saw it.
    pub address: String,
    /// What the event was about (a vault or device id), when anything.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub subject: String,
}

/// `POST /api/v1/vaults`: the account's new vault, with its keys as the server keeps them: the key
/// check (a record sealed under the vault's sync key that a device opens before it uploads anything, so
/// a device with the wrong key stops there) and the vault's key file (its keys wrapped under the
/// passphrase and under the recovery key, which a new device unwraps to join).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewVault {
    pub vault: String,
    pub check: Sealed,
    pub key_file: Sealed,
}

/// `GET /api/v1/vaults/{vault}/keys`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct VaultKeys {
    pub check: Sealed,
    /// The owner's key file; a member of a shared vault unwraps its key from a [`Grant`] instead.
    pub key_file: Sealed,
    /// What the asking account may do with the vault (absent from servers before households).
    #[serde(default)]
    pub role: Option<Role>,
    /// The vault key's current generation; `check` is sealed under it. A member's removal starts a new
    /// one, and records are sealed under the newest a device knows.
    #[serde(default)]
    pub epoch: u32,
}

/// `PUT|GET /api/v1/users/identity`: the account's X25519 key pair for sharing vaults. The private key
/// is sealed on a device under a key derived there from the account password (never the secret that
/// logs in), so the server keeps it without being able to open it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Identity {
    /// 32 bytes.
    pub public: Sealed,
    pub sealed_private: Sealed,
}

/// `GET /api/v1/users/{user}/key`: another account's public key, to share a vault with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicKey {
    pub user: String,
    pub public: Sealed,
}

/// `PUT /api/v1/vaults/{vault}/members/{user}` (the owner only): the account becomes (or stays) a member
/// with `role`, and `grants` are the vault's keys of every generation so far, each sealed by the owner
/// to the member's public key.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewMember {
    pub role: Role,
    pub grants: Vec<EpochGrant>,
}

/// One generation of the vault key, sealed for one member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EpochGrant {
    pub epoch: u32,
    pub sealed: Sealed,
}

/// `POST /api/v1/vaults/{vault}/rotations` (the owner only): `remove` stops being a member, and the
/// vault key's generation `epoch` (the next one) begins: its key check, and its key sealed for every
/// member that stays, the owner included.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rotation {
    pub remove: String,
    pub epoch: u32,
    pub check: Sealed,
    pub grants: Vec<MemberGrant>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MemberGrant {
    pub user: String,
    pub sealed: Sealed,
}

/// `GET /api/v1/vaults/{vault}/members`: who shares the vault, owner first.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Members {
    pub members: Vec<Member>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    pub user: String,
    pub role: Role,
    /// The member's public key (absent for an account that has none yet), to compare fingerprints.
    pub public: Option<Sealed>,
    pub since: DateTime<Utc>,
}

/// `GET /api/v1/vaults/{vault}/grants`: the vault's keys as the owner sealed them for the asking
/// account, oldest generation first.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Grants {
    pub grants: Vec<Grant>,
}

/// One generation of the vault key sealed for the asking account, with the sealer's public key to
/// open it with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grant {
    pub epoch: u32,
    pub from: String,
    pub from_public: Sealed,
    pub sealed: Sealed,
}

/// One sealed record of a device's series.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Record {
    pub device: String,
    pub seq: u64,
    pub data: Sealed,
}

/// `POST /api/v1/vaults/{vault}/records`: records to append, all or none. A record already stored with
/// the same bytes is left as it is (a retry is harmless); with other bytes the whole upload is refused
/// (`device_mismatch`): two devices believe they are the same one.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Upload {
    pub records: Vec<Record>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UploadReceipt {
    /// Records newly stored.
    pub stored: u64,
    /// Records that were already there, byte for byte.
    pub unchanged: u64,
    /// The vault's newest cursor after the upload.
    pub cursor: u64,
}

/// A stored record and its place in the vault's order of arrival.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredRecord {
    pub cursor: u64,
    pub device: String,
    pub seq: u64,
    pub data: Sealed,
}

/// `GET /api/v1/vaults/{vault}/records?after=CURSOR&limit=N`: records that arrived after `after`, oldest
/// first. `next` is the `after` of the next page; `more` says whether there is one.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RecordPage {
    pub records: Vec<StoredRecord>,
    pub next: u64,
    pub more: bool,
}

/// The most records one page answers.
pub const MAX_PAGE: u64 = 1000;

/// `GET /api/v1/vaults/{vault}/devices`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Devices {
    pub devices: Vec<Device>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Device {
    pub device: String,
    /// The account that first uploaded from it.
    pub user: String,
    pub first_seen: DateTime<Utc>,
    pub last_seen: DateTime<Utc>,
    pub records: u64,
    /// A revoked device's uploads are refused (`device_revoked`).
    pub revoked: bool,
}

/// `POST /api/v1/vaults/{vault}/snapshots`: a snapshot about to be uploaded. A snapshot is a device's
/// whole vault at one moment (the records up to `cursor` applied), sealed in `parts` parts; it counts
/// once every part is stored and it is completed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewSnapshot {
    /// Chosen by the device: 1 to 64 letters, digits, - and _.
    pub id: String,
    pub device: String,
    /// Every record that arrived up to this cursor is in the snapshot.
    pub cursor: u64,
    pub parts: u32,
    /// The device's clock when it was taken: nothing in it is newer.
    pub taken_at: DateTime<Utc>,
}

/// `PUT /api/v1/vaults/{vault}/snapshots/{id}/parts/{part}` and its `GET`: one sealed part.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SnapshotPart {
    pub data: Sealed,
}

/// A completed snapshot as the server keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snapshot {
    pub id: String,
    pub device: String,
    pub cursor: u64,
    pub parts: u32,
    /// Sealed bytes, all parts.
    pub bytes: u64,
    pub taken_at: DateTime<Utc>,
    /// When the server completed it (retention counts from here).
    pub stored_at: DateTime<Utc>,
}

/// `GET /api/v1/vaults/{vault}/snapshots`: the completed snapshots, newest first.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Snapshots {
    pub snapshots: Vec<Snapshot>,
}

/// What went wrong, as every error answers (RFC 9457 problem details, `application/problem+json`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Problem {
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    /// A sentence for a person.
    pub detail: String,
    pub code: ErrorCode,
}

/// The machine-readable half of a [`Problem`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The request's shape or a value in it is wrong (400 / 422).
    Invalid,
    /// No valid session, or the user name and password do not match (401).
    Unauthorized,
    /// The password was right; the account asks for its second factor (401).
    OtpRequired,
    /// Too many failed logins; `Retry-After` says when to try again (429).
    RateLimited,
    /// No such thing, or not one this account may see (404).
    NotFound,
    /// The account may see it but not change it (403).
    Forbidden,
    /// A name or id already taken (409).
    Conflict,
    /// A record at a (device, seq) already stored with other bytes (409).
    DeviceMismatch,
    /// The device was revoked (403).
    DeviceRevoked,
    /// The request is larger than the server reads (413).
    TooLarge,
    /// The server cannot reach its storage (503).
    Unavailable,
    /// A fault of the server's (500).
    Internal,
}

impl ErrorCode {
    pub fn status(self) -> u16 {
        match self {
            ErrorCode::Invalid => 422,
            ErrorCode::Unauthorized | ErrorCode::OtpRequired => 401,
            ErrorCode::RateLimited => 429,
            ErrorCode::NotFound => 404,
            ErrorCode::Forbidden | ErrorCode::DeviceRevoked => 403,
            ErrorCode::Conflict | ErrorCode::DeviceMismatch => 409,
            ErrorCode::TooLarge => 413,
            ErrorCode::Unavailable => 503,
            ErrorCode::Internal => 500,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_bytes_travel_as_base64_and_garbage_is_refused() {
        let record = Record { device: "d1".into(), seq: 7, data: Sealed(vec![0, 1, 2, 250]) };
        let text = serde_json::to_string(&record).expect("serialize");
        assert_eq!(text, r#"{"device":"d1","seq":7,"data":"AAEC+g=="}"#);
        assert_eq!(serde_json::from_str::<Record>(&text).expect("parse"), record);
        let bad = r#"{"device":"d1","seq":7,"data":"not base64!"}"#;
        assert!(serde_json::from_str::<Record>(bad).is_err());
        assert_eq!(format!("{:?}", record.data), "Sealed(4 bytes)");
    }

    #[test]
    fn roles_round_trip_and_only_owners_and_editors_write() {
        for role in [Role::Owner, Role::Editor, Role::Viewer] {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("admin"), None);
        assert!(Role::Editor.can_write() && !Role::Viewer.can_write());
    }
}
