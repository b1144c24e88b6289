//! Errors as the REST API answers them (RFC 9457 `application/problem+json`), and the extractors that
//! read a request's JSON body and query string into the contract's shapes, naming the field at fault.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, RawQuery, Request};
use axum::http::{header, request::Parts, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use credence_api::{ApiError, ErrorCode, Problem};
use serde::de::DeserializeOwned;

/// The largest request body the API reads (a bulk add of a few thousand rows fits).
pub const BODY_LIMIT: usize = 4 * 1024 * 1024;

/// An error on its way out as problem details.
#[derive(Debug)]
pub struct Failure(pub ApiError);

impl From<ApiError> for Failure {
    fn from(e: ApiError) -> Self {
        Failure(e)
    }
}

impl From<credence_core::Error> for Failure {
    fn from(e: credence_core::Error) -> Self {
        Failure(credence_api::convert::api_error(&e))
    }
}

impl Failure {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Failure {
        Failure(ApiError::new(code, message))
    }
}

/// The HTTP status each error code answers with.
pub fn status_of(code: ErrorCode) -> StatusCode {
    match code {
        ErrorCode::Invalid | ErrorCode::WeakPassphrase | ErrorCode::NotAVault => StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::BadRequest => StatusCode::BAD_REQUEST,
        ErrorCode::Unauthorized => StatusCode::UNAUTHORIZED,
        ErrorCode::WrongPassphrase => StatusCode::FORBIDDEN,
        ErrorCode::NotFound | ErrorCode::VaultNotFound => StatusCode::NOT_FOUND,
        ErrorCode::VaultExists
        | ErrorCode::Conflict
        | ErrorCode::NothingToUndo
        | ErrorCode::NotRemembered
        | ErrorCode::Cancelled => StatusCode::CONFLICT,
        ErrorCode::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        ErrorCode::PreconditionFailed => StatusCode::PRECONDITION_FAILED,
        ErrorCode::PreconditionRequired => StatusCode::PRECONDITION_REQUIRED,
        ErrorCode::Locked => StatusCode::LOCKED,
        ErrorCode::Io | ErrorCode::KeychainUnavailable => StatusCode::SERVICE_UNAVAILABLE,
        ErrorCode::Damaged | ErrorCode::NewerSchema | ErrorCode::Internal => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// The problem details of `e`.
pub fn problem(e: ApiError) -> Problem {
    let status = status_of(e.code);
    let code = serde_json::to_value(e.code).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default();
    Problem {
        kind: format!("urn:credence:problem:{code}"),
        title: status.canonical_reason().unwrap_or("Error").to_string(),
        status: status.as_u16(),
        detail: e.message,
        code: e.code,
        field: e.field,
    }
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        let problem = problem(self.0);
        let status = StatusCode::from_u16(problem.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = serde_json::to_vec(&problem).unwrap_or_default();
        let mut response = (status, body).into_response();
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/problem+json"));
        if status == StatusCode::UNAUTHORIZED {
            headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}

/// A JSON object request body read into `T`; a body that is not JSON is 400, one that does not fit the
/// shape 422 with the path of the field at fault, one over the limit 413.
#[derive(Debug)]
pub struct JsonBody<T>(pub T);

/// A JSON array request body read into `T` (a bulk request), on the same terms as `JsonBody`.
#[derive(Debug)]
pub struct JsonList<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequest<S> for JsonBody<T> {
    type Rejection = Failure;

    async fn from_request(req: Request, state: &S) -> Result<Self, Failure> {
        read_json(&json_bytes(req, state).await?, b'{', "an object").map(JsonBody)
    }
}

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequest<S> for JsonList<T> {
    type Rejection = Failure;

    async fn from_request(req: Request, state: &S) -> Result<Self, Failure> {
        read_json(&json_bytes(req, state).await?, b'[', "an array").map(JsonList)
    }
}

/// The body, when it is said to be JSON and is within the limit.
async fn json_bytes<S: Send + Sync>(req: Request, state: &S) -> Result<Bytes, Failure> {
    let is_json = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|media| {
            let media = media.trim().to_ascii_lowercase();
            media == "application/json" || media.ends_with("+json")
        });
    if !is_json {
        return Err(Failure::new(ErrorCode::BadRequest, "Send the body as JSON (Content-Type: application/json)."));
    }
    body_bytes(req, state).await
}

/// A body taken as it is (an uploaded file), within the limit.
#[derive(Debug)]
pub struct RawBody(pub Bytes);

impl<S: Send + Sync> FromRequest<S> for RawBody {
    type Rejection = Failure;

    async fn from_request(req: Request, state: &S) -> Result<Self, Failure> {
        body_bytes(req, state).await.map(RawBody)
    }
}

async fn body_bytes<S: Send + Sync>(req: Request, state: &S) -> Result<Bytes, Failure> {
    Bytes::from_request(req, state).await.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            Failure::new(ErrorCode::TooLarge, format!("The body is larger than {BODY_LIMIT} bytes."))
        } else {
            Failure::new(ErrorCode::BadRequest, "The body could not be read.")
        }
    })
}

/// Reads `bytes` as JSON whose top level opens with `opening` (serde would otherwise take an array for
/// an object's fields in order, a shape the document does not describe). One pass over a body of the
/// right shape; only a refused one is read again, to tell "not JSON" (400) from "another shape" (422).
fn read_json<T: DeserializeOwned>(bytes: &[u8], opening: u8, shape: &str) -> Result<T, Failure> {
    let not_json =
        |e: &serde_json::Error| Failure::new(ErrorCode::BadRequest, format!("The body is not well-formed JSON: {e}."));
    if bytes.iter().find(|b| !b.is_ascii_whitespace()) != Some(&opening) {
        return Err(match serde_json::from_slice::<serde::de::IgnoredAny>(bytes) {
            Err(e) => not_json(&e),
            Ok(_) => Failure::new(ErrorCode::Invalid, format!("The body must be {shape}.")),
        });
    }
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
        if e.inner().is_syntax() || e.inner().is_eof() {
            return not_json(e.inner());
        }
        // A value of the wrong shape in a body that is not JSON after all (trailing text) is the latter.
        if let Err(syntax) = serde_json::from_slice::<serde::de::IgnoredAny>(bytes) {
            return not_json(&syntax);
        }
        let field = e.path().to_string();
        let error = ApiError::new(ErrorCode::Invalid, format!("{}: {}.", field, e.inner()));
        Failure(if field == "." { error } else { error.in_field(field) })
    })?;
    // Nothing but whitespace may follow the value.
    deserializer.end().map_err(|e| not_json(&e))?;
    Ok(value)
}

/// A query string read into `T` (unknown parameters refused), naming the parameter at fault.
#[derive(Debug)]
pub struct Params<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for Params<T> {
    type Rejection = Failure;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Failure> {
        let RawQuery(query) = RawQuery::from_request_parts(parts, state).await.unwrap_or(RawQuery(None));
        let query = query.unwrap_or_default();
        let deserializer = serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
        serde_path_to_error::deserialize(deserializer).map(Params).map_err(|e| {
            let field = e.path().to_string();
            let error = ApiError::new(ErrorCode::Invalid, format!("{}: {}.", field, e.inner()));
            Failure(if field == "." { error } else { error.in_field(field) })
        })
    }
}
