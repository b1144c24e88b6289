//! Errors as the sync server answers them (RFC 9457 `application/problem+json`, the protocol's
//! [`Problem`]), and the extractors that read a request's JSON body and query string, naming what is
//! wrong instead of answering a bare 400.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, RawQuery, Request};
use axum::http::{header, request::Parts, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use credence_protocol::{ErrorCode, Problem};
use serde::de::DeserializeOwned;

use crate::store::StoreError;

/// An error on its way out.
#[derive(Debug)]
pub struct Failure {
    pub code: ErrorCode,
    pub detail: String,
    /// Seconds, for `Retry-After` (rate limits).
    pub retry_after: Option<u64>,
}

impl Failure {
    pub fn new(code: ErrorCode, detail: impl Into<String>) -> Failure {
        Failure { code, detail: detail.into(), retry_after: None }
    }

    pub fn invalid(detail: impl Into<String>) -> Failure {
        Failure::new(ErrorCode::Invalid, detail)
    }

    /// What a vault, device or account that is not this session's looks like: the same as one that does
    /// not exist, so nobody learns which ids exist.
    pub fn not_found() -> Failure {
        Failure::new(ErrorCode::NotFound, "There is nothing here for this account.")
    }
}

impl From<StoreError> for Failure {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Conflict(what) => {
                Failure::new(ErrorCode::Conflict, format!("{} is already taken.", capitalized(&what)))
            }
            StoreError::NotFound => Failure::not_found(),
            StoreError::Mismatch { device, seq } => Failure::new(
                ErrorCode::DeviceMismatch,
                format!(
                    "Record {seq} of device {device} is already on the server with other contents: two devices \
                     believe they are {device}. Nothing was stored."
                ),
            ),
            StoreError::Revoked(device) => {
                Failure::new(ErrorCode::DeviceRevoked, format!("Device {device} was revoked; it can no longer upload."))
            }
            StoreError::Refused(detail) => Failure::new(ErrorCode::Conflict, detail),
            StoreError::Backend(detail) => {
                tracing::error!(%detail, "storage failed");
                Failure::new(ErrorCode::Unavailable, "The server cannot reach its storage just now; try again shortly.")
            }
        }
    }
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.code.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let problem = Problem {
            kind: "about:blank".into(),
            title: status.canonical_reason().unwrap_or("Error").into(),
            status: status.as_u16(),
            detail: self.detail,
            code: self.code,
        };
        let body = serde_json::to_vec(&problem).unwrap_or_default();
        let mut response = (status, body).into_response();
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/problem+json"));
        if let Some(seconds) = self.retry_after {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

/// A JSON request body read into `T`; a body that is not one answers 422 naming the field, one larger
/// than the server reads answers 413.
#[derive(Debug)]
pub struct Body<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Body<T> {
    type Rejection = Failure;

    async fn from_request(request: Request, state: &S) -> Result<Self, Failure> {
        let bytes = Bytes::from_request(request, state).await.map_err(|rejection| {
            if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                Failure::new(ErrorCode::TooLarge, "The request is larger than the server reads; send it in pieces.")
            } else {
                Failure::invalid(format!("The request body could not be read: {rejection}"))
            }
        })?;
        let mut reader = serde_json::Deserializer::from_slice(&bytes);
        serde_path_to_error::deserialize(&mut reader).map(Body).map_err(|e| {
            let path = e.path().to_string();
            let inner = e.into_inner();
            match path.as_str() {
                "." => Failure::invalid(format!("The request body is not what this endpoint takes: {inner}")),
                _ => Failure::invalid(format!("In the request body, `{path}`: {inner}")),
            }
        })
    }
}

/// A query string read into `T`.
#[derive(Debug)]
pub struct Params<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for Params<T> {
    type Rejection = Failure;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Failure> {
        let RawQuery(query) = RawQuery::from_request_parts(parts, state).await.unwrap_or(RawQuery(None));
        serde_urlencoded::from_str(query.as_deref().unwrap_or_default())
            .map(Params)
            .map_err(|e| Failure::invalid(format!("The query string is not what this endpoint takes: {e}")))
    }
}
