//! The bearer token: 256 random bits, made on first use and kept owner-only in `<vault>.api-token`
//! beside the vault, so a script on this machine that the owner lets read the file can call the API and
//! nothing else can. Compared in constant time.

use std::path::{Path, PathBuf};

use credence_core::{files, Error, Result};
use rand::RngCore;
use sha2::{Digest, Sha256};

/// The token file of the vault at `vault`.
pub fn token_path(vault: &Path) -> PathBuf {
    files::beside(vault, ".api-token")
}

/// A bearer token (64 hex digits), with its digest computed once for the check every request makes.
/// Its `Debug` does not show it.
pub struct Token {
    text: String,
    digest: [u8; 32],
}

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Token(<redacted>)")
    }
}

impl Token {
    fn generate() -> Token {
        let mut bytes = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        Token::from_text(data_encoding::HEXLOWER.encode(&bytes))
    }

    fn from_text(text: String) -> Token {
        let digest = Sha256::digest(text.as_bytes()).into();
        Token { text, digest }
    }

    /// The vault's token, made (owner-only) if it has none yet.
    pub fn for_vault(vault: &Path) -> Result<Token> {
        let path = token_path(vault);
        match std::fs::read_to_string(&path) {
            Ok(text) => Token::read(&path, &text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Token::renew(vault),
            Err(e) => Err(Error::Io { path, source: e }),
        }
    }

    /// A new token for the vault; the old one stops working (`credence serve --new-token`).
    pub fn renew(vault: &Path) -> Result<Token> {
        let token = Token::generate();
        files::write_atomically(&token_path(vault), format!("{}\n", token.text).as_bytes())?;
        Ok(token)
    }

    fn read(path: &Path, text: &str) -> Result<Token> {
        let text = text.trim();
        if text.len() == 64 && text.bytes().all(|b| b.is_ascii_hexdigit()) {
            files::restrict(path)?;
            Ok(Token::from_text(text.to_ascii_lowercase()))
        } else {
            Err(Error::Invalid(format!(
                "{} is not an API token; delete it or run `credence serve --new-token`",
                path.display()
            )))
        }
    }

    /// Whether `presented` is this token: compared as digests, in time that does not depend on where
    /// they differ.
    pub fn accepts(&self, presented: &str) -> bool {
        let presented = Sha256::digest(presented.trim().as_bytes());
        self.digest.iter().zip(presented.iter()).fold(0u8, |diff, (x, y)| diff | (x ^ y)) == 0
    }

    /// The token as text, for the person who asked for it (printed once by `credence serve`).
    pub fn dangerously_reveal(&self) -> &str {
        &self.text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn made_once_kept_owner_only_and_renewed_on_demand() {
        let dir = tempfile::tempdir().expect("dir");
        let vault = dir.path().join("v.vault");
        let first = Token::for_vault(&vault).expect("token");
        assert_eq!(first.dangerously_reveal().len(), 64);
        assert!(Token::for_vault(&vault).expect("again").accepts(first.dangerously_reveal()));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(token_path(&vault)).expect("meta").permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let second = Token::renew(&vault).expect("renew");
        assert!(!second.accepts(first.dangerously_reveal()));
        assert!(Token::for_vault(&vault).expect("read").accepts(second.dangerously_reveal()));
        assert!(!second.accepts(""));
        assert_eq!(format!("{second:?}"), "Token(<redacted>)");
    }

    #[test]
    fn a_file_that_is_not_a_token_is_refused_with_the_way_out() {
        let dir = tempfile::tempdir().expect("dir");
        let vault = dir.path().join("v.vault");
        std::fs::write(token_path(&vault), "hello").expect("write");
        let message = Token::for_vault(&vault).expect_err("refused").to_string();
        assert!(message.contains("--new-token"), "{message}");
    }
}
