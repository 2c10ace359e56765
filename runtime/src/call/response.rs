//! The last stage of a call: the response read as the action's typed response, or its typed
//! error. Every way a response arrives (a call, a request you sent yourself, one event of a
//! stream) ends here.

use std::borrow::Cow;

use crate::decode::{self, At, Decode, DecodeError, Reader};
use http::header::CONTENT_TYPE;

use crate::call::slot;
use crate::decode::json::Json;
use crate::decode::Correction;
use crate::envelope::{self, Classified};
use crate::error::{Error, ErrorCode, ErrorKind, InvalidResponse};
use crate::transport::HttpResponse;

/// A whole call's output, read in the pass that classified its envelope: boxed as the type
/// its [`Decoder`] reads, or why the success could not be read as that type (the body kept;
/// boxed too, so that every call's success is small as it is handed up the call path).
pub(crate) type Output = Result<slot::Boxed, Box<InvalidResponse>>;

/// How a whole call's output is read: chosen where the call starts, where its type is known,
/// and handed to the call's work, which is not generic; see [`classify_reading`]. A
/// pointer to a table made at compile time for each output type: the call's futures carry
/// it in each of their states, and one pointer is smaller than the table.
#[derive(Clone, Copy)]
pub(crate) struct Decoder(&'static Reading);

/// What a [`Decoder`] points to.
struct Reading {
    read: fn(At<'_>) -> Result<slot::Boxed, DecodeError>,
    /// The name of the type read (`std::any::type_name`), for errors.
    wanted: fn() -> &'static str,
}

/// `T` decoded at `at`, boxed for the call's work to hand on.
fn decode_boxed<T: Decode + Send + 'static>(at: At<'_>) -> Result<slot::Boxed, DecodeError> {
    match T::decode(at) {
        Ok(output) => Ok(Box::new(output)),
        Err(error) => Err(error),
    }
}

impl Decoder {
    /// The decoder of `T`.
    pub(crate) fn of<T: Decode + Send + 'static>() -> Self {
        Self(
            const {
                &Reading {
                    read: decode_boxed::<T>,
                    wanted: std::any::type_name::<T>,
                }
            },
        )
    }
}

/// The RequestId of a success envelope, or the service's error, or why the response is not an
/// envelope at all; and a success's output read by `decoder` from the same reading of the
/// body: a whole call reads its response once. The request id is borrowed from the body
/// where it can be. A `DeprecatedWarning` in a success is a `tracing` warning naming `call`
/// (service and action), if known, as the Python SDK warns.
pub(crate) fn classify_reading<'r>(
    call: Option<(&str, &str)>,
    response: &'r HttpResponse,
    decoder: Decoder,
) -> Result<(Cow<'r, str>, Output), ErrorKind> {
    let mut output = None;
    let (request_id, read) = read_envelope(
        call,
        response,
        Some(((decoder.0.wanted)(), &mut |at| {
            output = Some((decoder.0.read)(at)?);
            Ok(())
        })),
    )?;
    Ok((request_id, kept(response, read, output).map_err(Box::new)))
}

/// The envelope of `response`, its body read once: a success's request id, and its output
/// read by `output` (the name of the type it reads, and the reader) when one is given; or
/// the service's error, or why the response is neither.
fn read_envelope<'r>(
    call: Option<(&str, &str)>,
    response: &'r HttpResponse,
    output: Option<(&str, Reader<'_>)>,
) -> Result<(Cow<'r, str>, Option<OutputRead>), ErrorKind> {
    let (status, content_type, body) = (
        response.status().as_u16(),
        content_type(response),
        response.body(),
    );
    let tree = envelope::tree(status, content_type, body).map_err(ErrorKind::InvalidResponse)?;
    match envelope::classify(status, content_type, body, &tree) {
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
            let read = output.map(|(wanted, read)| {
                let corrections =
                    envelope::output_from(status, content_type, body, &tree, wanted, read)?;
                warn_corrections(call, &corrections);
                Ok(())
            });
            Ok((request_id, read))
        }
        Ok(Classified::Failure {
            code,
            message,
            request_id,
        }) => Err(ErrorKind::service(code, message, request_id)),
        Err(invalid) => Err(ErrorKind::InvalidResponse(invalid)),
    }
}

/// How reading a success's output went: its reader kept it, or why it could not read it.
type OutputRead = Result<(), InvalidResponse>;

/// The output a reader kept, or why it kept none: its failure (`read`), or, were it to
/// succeed without keeping one, the error saying so.
fn kept<T>(
    response: &HttpResponse,
    read: Option<OutputRead>,
    output: Option<T>,
) -> Result<T, InvalidResponse> {
    read.unwrap_or(Ok(()))?;
    decode::taken(output).map_err(|e| invalid(response, e))
}

/// The output of one event of a stream as `T`: `tree` is its envelope (see
/// [`envelope::event`]), `data` its text, which an error keeps.
pub(crate) fn typed_event<T: Decode>(
    call: Option<(&str, &str)>,
    tree: &Json<'_>,
    data: &str,
) -> Result<T, InvalidResponse> {
    let mut output = None;
    let (status, content_type) = (200, Some(envelope::EVENT_STREAM));
    let corrections = envelope::output_from(
        status,
        content_type,
        data.as_bytes(),
        tree,
        std::any::type_name::<T>(),
        &mut decode::into(&mut output),
    )?;
    warn_corrections(call, &corrections);
    decode::taken(output)
        .map_err(|e| InvalidResponse::new(status, content_type, data.as_bytes(), e.to_string()))
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
    // Read once: the envelope classified and the output read from the same tree.
    let mut output = None;
    let (_, read) = read_envelope(
        None,
        response,
        Some((std::any::type_name::<T>(), &mut decode::into(&mut output))),
    )?;
    kept(response, read, output).map_err(|invalid| ErrorKind::InvalidResponse(invalid).into())
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
