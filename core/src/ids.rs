//! Ids: UUIDv7 (time-ordered, so new rows append to the end of every id index), stored as 16-byte
//! blobs and shown as the usual hyphenated text in the public API.

use rusqlite::types::Value;
use uuid::Uuid;

use crate::error::{Error, Result};

pub(crate) fn new_id() -> Uuid {
    Uuid::now_v7()
}

/// Parses an id the API was given; a malformed one cannot name anything, so it is "not found".
pub(crate) fn parse_id(what: &'static str, text: &str) -> Result<Uuid> {
    Uuid::parse_str(text.trim()).map_err(|_| Error::not_found(what, text))
}

pub(crate) fn id_value(id: Uuid) -> Value {
    Value::Blob(id.as_bytes().to_vec())
}

/// Columns holding 16-byte blobs: ids (named `id` or `*_id`), import batches and fingerprints. The
/// change log writes these as text and relies on this rule to turn them back into blobs.
pub(crate) fn is_blob_column(name: &str) -> bool {
    name == "id" || name.ends_with("_id") || name == "import_batch" || name == "fingerprint"
}
