//! The last stage of a call: the response read as the action's typed response, or its typed
//! error. Every way a response arrives (a call, a request you sent yourself, one event of a
//! stream) ends here.

use crate::decode::{self, Decode, Reader};
use http::header::CONTENT_TYPE;

use crate::decode::Correction;
use crate::envelope::{self, Classified};
use crate::error::{Error, ErrorCode, ErrorKind, InvalidResponse};
use crate::transport::HttpResponse;

/// The RequestId of a success envelope, or the service's error, or why the response is not an
/// envelope at all. A `DeprecatedWarning` in a success is a `tracing` warning naming `call`
/// (service and action), if known, as the Python SDK warns.
pub(crate) fn classify(
    call: Option<(&str, &str)>,
    response: &HttpResponse,
) -> Result<String, ErrorKind> {
    let status = response.status().as_u16();
    match envelope::read(status, content_type(response), response.body()) {
        Ok(Classified::Success {
            request_id,
            deprecated,
        }) => {
            if let Some(warning) = deprecated {
                const DEPRECATED: &str = "the service says the action is deprecated";
                match call {
                    Some((service, action)) => {
                        tracing::warn!(service, action, %request_id, %warning, "{DEPRECATED}");
                    }
                    None => tracing::warn!(%request_id, %warning, "{DEPRECATED}"),
                }
            }
            Ok(request_id)
        }
        Ok(Classified::Failure {
            code,
            message,
            request_id,
        }) => Err(ErrorKind::service(code, message, request_id)),
        Err(invalid) => Err(ErrorKind::InvalidResponse(invalid)),
    }
}

/// The output of a success response as `T`, under the [decoding policy](crate::decode); each
/// field it had to fill is a `tracing` warning naming `call` (service and action) if known.
pub(crate) fn typed<T: Decode>(
    call: Option<(&str, &str)>,
    response: &HttpResponse,
) -> Result<T, InvalidResponse> {
    let mut output = None;
    typed_with(
        call,
        response,
        std::any::type_name::<T>(),
        &mut decode::into(&mut output),
    )?;
    decode::taken(output).map_err(|e| invalid(response, e))
}

/// [`typed`] without its type: `read` reads the output as the type named `wanted`, and
/// keeps it. Compiled once, for every action.
pub(crate) fn typed_with(
    call: Option<(&str, &str)>,
    response: &HttpResponse,
    wanted: &str,
    read: Reader<'_>,
) -> Result<(), InvalidResponse> {
    let status = response.status().as_u16();
    let corrections = envelope::output(
        status,
        content_type(response),
        response.body(),
        wanted,
        read,
    )?;
    warn_corrections(call, &corrections);
    Ok(())
}

/// The error of a response whose output the reader did not keep (see [`decode::taken`]).
#[cold]
fn invalid(response: &HttpResponse, error: crate::decode::DecodeError) -> InvalidResponse {
    InvalidResponse::new(
        response.status().as_u16(),
        content_type(response),
        response.body(),
        error.to_string(),
    )
}

/// Reads a response the way every call does: a success envelope as `T`, an error envelope as
/// [`ErrorKind::Service`] with its code typed as `E`, anything else as [`ErrorKind::InvalidResponse`].
/// For responses to requests you sent yourself (see [`crate::Client::signed_request`]).
pub fn read_response<T: Decode, E: ErrorCode>(response: &HttpResponse) -> Result<T, Error<E>> {
    classify(None, response).map_err(Error::from)?;
    read(None, response)
}

/// [`typed`], with its failure as the call's error.
pub(crate) fn read<T: Decode, E>(
    call: Option<(&str, &str)>,
    response: &HttpResponse,
) -> Result<T, Error<E>> {
    typed(call, response).map_err(|invalid| ErrorKind::InvalidResponse(invalid).into())
}

/// Says, as a `tracing` warning, each field the response lacked or sent as `null` though its
/// spec marks it always present (read as its empty value: see [`crate::decode`]), with the
/// service and action where the caller knows them.
pub(crate) fn warn_corrections(call: Option<(&str, &str)>, corrections: &[Correction]) {
    const FILLED: &str =
        "the response lacks a field its spec marks always present; read as its empty value";
    for correction in corrections {
        let (field, found) = (&correction.path, correction.found);
        match call {
            Some((service, action)) => {
                tracing::warn!(service, action, %field, ?found, "{FILLED}");
            }
            None => tracing::warn!(%field, ?found, "{FILLED}"),
        }
    }
}

/// The response's Content-Type, if it is text.
pub(crate) fn content_type<B>(response: &http::Response<B>) -> Option<&str> {
    response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
}
