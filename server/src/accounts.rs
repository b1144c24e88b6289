//! The secrets of accounts: password hashes (Argon2id), session tokens (256 random bits, kept only as
//! their SHA-256), the TOTP second factor (RFC 6238: HMAC-SHA1, 30-second steps, 6 digits) and its
//! recovery codes. The account password only ever logs in: it is not, and derives nothing that is, a
//! key to a vault's contents (those never leave a device unsealed; docs/sync.md).

use std::sync::OnceLock;

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// The shortest password an account may have.
pub const MIN_PASSWORD_CHARS: usize = 10;
/// The longest (hashing is costly; nobody types more).
pub const MAX_PASSWORD_BYTES: usize = 1024;

/// Why a password is not accepted, as a sentence; `None` when it is.
pub fn password_problem(password: &str) -> Option<String> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        Some(format!("The password must be at least {MIN_PASSWORD_CHARS} characters long."))
    } else if password.len() > MAX_PASSWORD_BYTES {
        Some(format!("The password must be at most {MAX_PASSWORD_BYTES} bytes long."))
    } else {
        None
    }
}

/// Why a user name is not accepted; `None` when it is. Names are 3–64 letters, digits and `.`, `_`,
/// `-`, `@` (an e-mail address fits), compared without regard to case.
pub fn user_name_problem(name: &str) -> Option<String> {
    let fits = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '@' | '+');
    if !(3..=64).contains(&name.len()) || !name.chars().all(fits) {
        Some("A user name is 3 to 64 letters, digits and . _ - @ + (an e-mail address will do).".into())
    } else {
        None
    }
}

/// The form a user name is stored and looked up in.
pub fn normalize_user_name(name: &str) -> String {
    name.trim().to_ascii_lowercase()
}

/// The PHC string of `password` under Argon2id (19 MiB, 2 passes: OWASP's recommendation).
pub fn hash_password(password: &str) -> Result<String, String> {
    let salt = SaltString::generate(&mut rand::rngs::OsRng);
    Argon2::default().hash_password(password.as_bytes(), &salt).map(|h| h.to_string()).map_err(|e| e.to_string())
}

/// Whether `password` matches `hash`. `None` as the hash checks against a stand-in, so an unknown user
/// costs the same time as a wrong password.
pub fn verify_password(hash: Option<&str>, password: &str) -> bool {
    static STAND_IN: OnceLock<String> = OnceLock::new();
    let stand_in = STAND_IN.get_or_init(|| hash_password("a password no account has").unwrap_or_default());
    let known = hash.is_some();
    let Ok(parsed) = PasswordHash::new(hash.unwrap_or(stand_in)) else { return false };
    Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok() && known
}

/// A new session token (what the client holds) and its hash (what the server stores).
pub fn new_token() -> (String, [u8; 32]) {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let token = data_encoding::BASE64URL_NOPAD.encode(&bytes);
    let hash = token_hash(&token);
    (token, hash)
}

pub fn token_hash(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

/// Seconds in one TOTP time step.
pub const TOTP_STEP_SECONDS: i64 = 30;

/// A new 160-bit TOTP secret (RFC 4226's recommended length).
pub fn new_totp_secret() -> Vec<u8> {
    let mut secret = vec![0u8; 20];
    rand::rngs::OsRng.fill_bytes(&mut secret);
    secret
}

/// The secret as authenticator apps take it by hand.
pub fn totp_secret_text(secret: &[u8]) -> String {
    data_encoding::BASE32_NOPAD.encode(secret)
}

/// The `otpauth://` URI of a secret, for a QR code.
pub fn totp_uri(secret: &[u8], user: &str) -> String {
    let label: String = form_urlencoded::byte_serialize(format!("Credence:{user}").as_bytes()).collect();
    format!(
        "otpauth://totp/{label}?secret={}&issuer=Credence&algorithm=SHA1&digits=6&period=30",
        totp_secret_text(secret)
    )
}

/// The 6-digit code of time step `step` (RFC 6238 over RFC 4226's dynamic truncation).
pub fn totp_code(secret: &[u8], step: i64) -> u32 {
    let Ok(mut mac) = Hmac::<sha1::Sha1>::new_from_slice(secret) else { return 0 };
    mac.update(&step.to_be_bytes());
    let digest = mac.finalize().into_bytes();
    let offset = usize::from(digest[19] & 0x0f);
    let word = u32::from_be_bytes([digest[offset], digest[offset + 1], digest[offset + 2], digest[offset + 3]]);
    (word & 0x7fff_ffff) % 1_000_000
}

/// The time step `code` belongs to, if it is the code of the step at `now_ms` or of one step either side
/// (clocks drift); `None` otherwise. Compared in constant time.
pub fn totp_step_of(secret: &[u8], code: &str, now_ms: i64) -> Option<i64> {
    let code = code.trim();
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let now = now_ms.div_euclid(1000).div_euclid(TOTP_STEP_SECONDS);
    (now - 1..=now + 1).find(|step| format!("{:06}", totp_code(secret, *step)).as_bytes().ct_eq(code.as_bytes()).into())
}

/// How many recovery codes an enrolment hands out.
pub const RECOVERY_CODES: usize = 10;

/// New recovery codes (60 random bits each, as `xxxx-xxxx-xxxx`) and their hashes.
pub fn new_recovery_codes() -> (Vec<String>, Vec<[u8; 32]>) {
    (0..RECOVERY_CODES)
        .map(|_| {
            let mut bytes = [0u8; 8];
            rand::rngs::OsRng.fill_bytes(&mut bytes);
            let text = data_encoding::BASE32_NOPAD.encode(&bytes).to_ascii_lowercase();
            let code = format!("{}-{}-{}", &text[0..4], &text[4..8], &text[8..12]);
            let hash = recovery_code_hash(&code);
            (code, hash)
        })
        .unzip()
}

/// The hash a recovery code is kept as: typed with or without dashes, in either case.
pub fn recovery_code_hash(code: &str) -> [u8; 32] {
    let plain: String = code.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_lowercase()).collect();
    Sha256::digest(plain.as_bytes()).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn totp_matches_rfc_6238_test_vectors() {
        // RFC 6238 appendix B, SHA-1, secret "12345678901234567890", 8 digits truncated to our 6.
        let secret = b"12345678901234567890";
        for (seconds, eight_digits) in [
            (59_i64, 94287082_u32),
            (1111111109, 7081804),
            (1111111111, 14050471),
            (1234567890, 89005924),
            (2000000000, 69279037),
        ] {
            assert_eq!(totp_code(secret, seconds / 30), eight_digits % 1_000_000, "at {seconds}");
        }
    }

    #[test]
    fn a_code_is_good_for_its_step_and_one_either_side_only() {
        let secret = b"12345678901234567890";
        let now_ms = 1_234_567_890_000;
        let step = now_ms / 1000 / 30;
        for (offset, accepted) in [(-2, false), (-1, true), (0, true), (1, true), (2, false)] {
            let code = format!("{:06}", totp_code(secret, step + offset));
            assert_eq!(totp_step_of(secret, &code, now_ms).is_some(), accepted, "offset {offset}");
        }
        assert_eq!(totp_step_of(secret, "12345", now_ms), None);
        assert_eq!(totp_step_of(secret, "abcdef", now_ms), None);
    }

    #[test]
    fn passwords_verify_and_unknown_users_never_do() {
        let hash = hash_password("correct horse battery").expect("hash");
        assert!(hash.starts_with("$argon2id$"), "{hash}");
        assert!(verify_password(Some(&hash), "correct horse battery"));
        assert!(!verify_password(Some(&hash), "correct horse batterY"));
        assert!(!verify_password(None, "a password no account has"), "the stand-in's own password logs nobody in");
    }

    #[test]
    fn tokens_are_256_bits_and_stored_only_as_hashes() {
        let (token, hash) = new_token();
        assert_eq!(data_encoding::BASE64URL_NOPAD.decode(token.as_bytes()).expect("base64url").len(), 32);
        assert_eq!(token_hash(&token), hash);
        assert_ne!(new_token().0, token);
    }

    #[test]
    fn recovery_codes_are_read_without_regard_to_case_or_dashes() {
        let (codes, hashes) = new_recovery_codes();
        assert_eq!(codes.len(), RECOVERY_CODES);
        assert_eq!(recovery_code_hash(&codes[0].to_uppercase().replace('-', "")), hashes[0]);
        assert_ne!(hashes[0], hashes[1]);
    }
}
