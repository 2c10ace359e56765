//! The checks the fuzz targets in `fuzz/` run, one per parser of bytes from outside (a
//! response, the envelope's classification, an event stream, a multipart body, a profile file,
//! an endpoint template), so that the fuzz targets and the seed-corpus test in
//! `runtime/tests/fuzz_seeds.rs` (and `tests/tests/fuzz_seeds.rs` for the generated type)
//! run the same code. Each takes any bytes, calls the real parser and panics only when a
//! property fails: a panic here is a finding.
//!
//! Not part of the API: behind the `fuzzing` feature, hidden from the docs, and free to
//! change in any release.
//!
//! Inputs that carry more than one value (a status and a body, a template and a region) are
//! lines: the first lines hold the small values, the rest is the body, so that seeds stay
//! readable and libFuzzer's mutations keep their shape.

use std::fmt::Debug;
use std::io;
use std::path::{Path, PathBuf};

use bytes::Bytes;
use serde::Serialize;
use serde_json::Value;

use crate::body::multipart::{self, Part};
use crate::credential::CredentialError;
use crate::decode::{self, Decode};
use crate::endpoint::{Endpoint, InvalidEndpoint, Template};
use crate::envelope::{self, Classified};
use crate::error::{CommonErrorCode, ErrorKind};
use crate::sse::{Parser, SseEvent, TooLarge};

/// The names of the targets this module checks, as `fuzz/fuzz_targets/` names them.
pub const TARGETS: [&str; 7] = [
    "response",
    "json",
    "envelope",
    "event_stream",
    "multipart",
    "profile",
    "endpoint",
];

/// Every input kept for `target`: its seeds (`fuzz/seeds/<target>/`) and the inputs of its
/// fixed findings (`fuzz/regressions/<target>/`, which may not exist), each with its path,
/// sorted by path.
pub fn inputs(target: &str) -> io::Result<Vec<(PathBuf, Vec<u8>)>> {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz");
    let mut found = Vec::new();
    for kind in ["seeds", "regressions"] {
        let dir = fuzz.join(kind).join(target);
        let entries = match std::fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == io::ErrorKind::NotFound && kind == "regressions" => continue,
            Err(e) => return Err(io::Error::new(e.kind(), format!("{}: {e}", dir.display()))),
        };
        for entry in entries {
            let path = entry?.path();
            if path.is_file() {
                let bytes = std::fs::read(&path)?;
                found.push((path, bytes));
            }
        }
    }
    found.sort();
    Ok(found)
}

/// The first line of `data` (without its LF) and the rest; all of `data` is the rest when
/// it has no LF.
fn line(data: &[u8]) -> (Option<&[u8]>, &[u8]) {
    match data.iter().position(|&b| b == b'\n') {
        Some(end) => (Some(&data[..end]), &data[end + 1..]),
        None => (None, data),
    }
}

/// A response's status and Content-Type from a first line `STATUS [CONTENT-TYPE]`, and its
/// body. Without a first line that starts with a status, all is body, with status 200.
fn http_parts(data: &[u8]) -> (u16, Option<String>, &[u8]) {
    if let (Some(head), body) = line(data) {
        let head = String::from_utf8_lossy(head);
        let (status, content_type) = head.split_once(' ').unwrap_or((&head, ""));
        if let Ok(status) = status.parse::<u16>() {
            let content_type = (!content_type.is_empty()).then(|| content_type.to_owned());
            return (status, content_type, body);
        }
    }
    (200, None, data)
}

fn http_response(status: u16, content_type: Option<&str>, body: &[u8]) -> http::Response<Bytes> {
    let mut response = http::Response::new(Bytes::copy_from_slice(body));
    *response.status_mut() =
        http::StatusCode::from_u16(status).unwrap_or(http::StatusCode::BAD_GATEWAY);
    if let Some(value) = content_type.and_then(|c| http::HeaderValue::from_str(c).ok()) {
        response
            .headers_mut()
            .insert(http::header::CONTENT_TYPE, value);
    }
    response
}

/// A response read as `T` through [`crate::read_response`], the entry every call's response
/// goes through. Properties: reading is deterministic; it succeeds exactly when the first
/// pass finds a success envelope and [`decode::response`] reads its output; a service error
/// keeps the code the classification found; and an output written back as JSON in its wire form
/// reads back as the same value without corrections.
pub fn response<T>(data: &[u8])
where
    T: Decode + PartialEq + Debug + Serialize,
{
    let (status, content_type, body) = http_parts(data);
    let http = http_response(status, content_type.as_deref(), body);
    let (status, content_type) = (
        http.status().as_u16(),
        crate::call::response::content_type(&http),
    );
    let read = crate::read_response::<T, CommonErrorCode>(&http);
    let again = crate::read_response::<T, CommonErrorCode>(&http);
    assert_eq!(
        format!("{read:?}"),
        format!("{again:?}"),
        "reading is deterministic"
    );
    let first = envelope::read(status, content_type, body);
    match (&read, &first) {
        (Ok(output), Ok(Classified::Success { .. })) => {
            let decoded = decode::response::<T>(body).expect("read_response read it");
            assert_eq!(&decoded.output, output);
            round_trip(output);
        }
        (Err(error), Ok(Classified::Failure { code, .. })) => {
            assert_eq!(
                error.code(),
                Some(code.as_str()),
                "the service error keeps its code"
            );
        }
        (Err(error), Ok(Classified::Success { .. })) => {
            assert!(
                matches!(error.kind(), ErrorKind::InvalidResponse(_)),
                "{error:?}"
            );
            assert!(
                decode::response::<T>(body).is_err(),
                "only a mismatch fails a success"
            );
        }
        (Err(error), Err(_)) => {
            assert!(
                matches!(error.kind(), ErrorKind::InvalidResponse(_)),
                "{error:?}"
            );
        }
        (Ok(_), _) => panic!("read {read:?} though the classification found {first:?}"),
    }
}

/// `output` written in its wire form inside an envelope reads back as itself, with nothing
/// filled in.
fn round_trip<T>(output: &T)
where
    T: Decode + PartialEq + Debug + Serialize,
{
    let body = serde_json::to_vec(&serde_json::json!({ "Response": output }))
        .expect("a decoded response serialises");
    let back = decode::response::<T>(&body)
        .unwrap_or_else(|e| panic!("{}: {e}", String::from_utf8_lossy(&body)));
    assert_eq!(&back.output, output, "{}", String::from_utf8_lossy(&body));
    assert!(back.corrections.is_empty(), "{:?}", back.corrections);
}

/// What a response's envelope holds, read independently of the classification: through
/// serde_json's own tree, where a key sent twice keeps its last value.
#[derive(Debug, PartialEq)]
enum Expected {
    Success {
        request_id: String,
        deprecated: Option<Value>,
    },
    Failure {
        code: String,
        message: String,
        request_id: String,
    },
    Invalid,
}

fn expected(status: u16, content_type: Option<&str>, body: &Value) -> Expected {
    let field = |value: &Value, name: &str| value.get(name).filter(|v| !v.is_null()).cloned();
    let text = |value: Option<Value>| match value {
        Some(Value::String(text)) => Ok(Some(text)),
        None => Ok(None),
        Some(_) => Err(()),
    };
    if content_type.is_some_and(envelope::is_event_stream) {
        return Expected::Invalid;
    }
    let Some(response @ Value::Object(_)) = field(body, "Response").filter(|_| body.is_object())
    else {
        return Expected::Invalid;
    };
    let Ok(request_id) = text(field(&response, "RequestId")) else {
        return Expected::Invalid;
    };
    match (field(&response, "Error"), request_id) {
        (Some(error @ Value::Object(_)), Some(request_id)) => {
            match (text(field(&error, "Code")), text(field(&error, "Message"))) {
                (Ok(Some(code)), Ok(message)) => Expected::Failure {
                    code,
                    message: message.unwrap_or_default(),
                    request_id,
                },
                _ => Expected::Invalid,
            }
        }
        (None, Some(request_id)) if (200..300).contains(&status) => Expected::Success {
            request_id,
            deprecated: field(&response, "DeprecatedWarning"),
        },
        _ => Expected::Invalid,
    }
}

/// The runtime's JSON reader (`decode::tree`), held to serde_json through `Json::parse`,
/// which takes the reader's tree when it reads the body and serde_json's otherwise.
/// Properties: on any body, `Json::parse` gives serde_json's tree (the same numbers, in the
/// same variant, `-0.0`'s sign included, and text) or serde_json's error. So a body the
/// reader takes, serde_json takes too, as the same tree; declining is always allowed.
pub fn json(data: &[u8]) {
    use crate::decode::json::Json;
    let theirs = serde_json::from_slice::<Json<'_>>(data);
    let parsed = Json::parse(data);
    match (&theirs, &parsed) {
        (Ok(theirs), Ok(parsed)) => {
            assert_eq!(theirs, parsed);
            assert_eq!(written(theirs), written(parsed), "the same text and signs");
        }
        (Err(theirs), Err(parsed)) => assert_eq!(theirs.to_string(), parsed.to_string()),
        _ => panic!("serde_json: {theirs:?}; parsed: {parsed:?}"),
    }
}

/// A tree as compact JSON text, floats with their sign (`-0.0`).
fn written(json: &crate::decode::json::Json<'_>) -> String {
    let mut out = String::new();
    json.write(&mut out);
    out
}

/// The envelope's classification. Properties: it is deterministic; on a body serde_json reads,
/// it agrees with the same reading of serde_json's tree (`Expected`), a warning as its text
/// when a string and as its JSON otherwise; an error excerpt is at most its limit.
pub fn envelope(data: &[u8]) {
    let (status, content_type, body) = http_parts(data);
    let content_type = content_type.as_deref();
    let read = envelope::read(status, content_type, body);
    assert_eq!(
        read,
        envelope::read(status, content_type, body),
        "deterministic"
    );
    if let Err(invalid) = &read {
        assert!(
            invalid.excerpt.len() <= crate::error::InvalidResponse::EXCERPT_LIMIT,
            "the excerpt is bounded"
        );
        assert_eq!(invalid.body_len, body.len());
    }
    let Ok(tree) = serde_json::from_slice::<Value>(body) else {
        // A body serde_json cannot read as a tree (not JSON, deeper than 128 levels, a
        // number too large) is no envelope: the classification reads the body as a tree too.
        assert!(read.is_err(), "{read:?}");
        return;
    };
    let want = expected(status, content_type, &tree);
    let text_warning = matches!(
        want,
        Expected::Success {
            deprecated: Some(Value::String(_)),
            ..
        }
    );
    let got = match read {
        Ok(Classified::Success {
            request_id,
            deprecated,
        }) => Expected::Success {
            request_id: request_id.into_owned(),
            // A warning sent as text is shown as its text, any other JSON as its JSON.
            deprecated: deprecated.map(|text| match serde_json::from_str::<Value>(&text) {
                Ok(json) if !text_warning => json,
                _ => Value::String(text),
            }),
        },
        Ok(Classified::Failure {
            code,
            message,
            request_id,
        }) => Expected::Failure {
            code,
            message,
            request_id,
        },
        Err(_) => Expected::Invalid,
    };
    assert_eq!(got, want);
}

/// How a fuzz input cuts a stream into chunks: each byte of the first line is a chunk's
/// length (0 stands for 256); the last length repeats.
fn chunks<'a>(lengths: &[u8], mut stream: &'a [u8]) -> Vec<&'a [u8]> {
    let mut out = Vec::new();
    let mut index = 0;
    while !stream.is_empty() {
        let length = match lengths.get(index).or(lengths.last()) {
            Some(0) | None => 256,
            Some(&n) => usize::from(n),
        };
        let (chunk, rest) = stream.split_at(length.min(stream.len()));
        out.push(chunk);
        stream = rest;
        index += 1;
    }
    out
}

/// The events a parser with `limit` reads from `chunks`, up to the first error, and whether
/// there was one.
fn read_events(limit: usize, chunks: &[&[u8]]) -> (Vec<SseEvent>, Option<TooLarge>) {
    let mut parser = Parser::new(limit);
    let mut events = Vec::new();
    for chunk in chunks {
        let pushed = parser.push(chunk);
        while let Some(event) = parser.next_event() {
            events.push(event);
        }
        if let Err(e) = pushed {
            return (events, Some(e));
        }
    }
    (events, None)
}

/// The event-stream parser. The first line says how to cut the rest into chunks and, by its
/// first byte, the size limit. Properties: the same bytes give the same events (and the
/// same refusal) whether pushed at once, byte by byte or in the input's chunks; and the
/// events written back in the format's plain form read back as the same events.
pub fn event_stream(data: &[u8]) {
    let (head, stream) = line(data);
    let head = head.unwrap_or_default();
    let limit = match head.first() {
        Some(&n) if n < 128 => 1 + usize::from(n) * 8,
        _ => Parser::DEFAULT_LIMIT,
    };
    let whole = read_events(limit, &[stream]);
    let bytes: Vec<&[u8]> = stream.chunks(1).collect();
    assert_eq!(whole, read_events(limit, &bytes), "byte by byte");
    assert_eq!(
        whole,
        read_events(limit, &chunks(head, stream)),
        "in chunks"
    );
    let (events, _) = whole;
    let mut written = Vec::new();
    for event in &events {
        if let Some(name) = &event.event {
            written.extend_from_slice(format!("event: {name}\n").as_bytes());
        }
        if let Some(id) = &event.id {
            written.extend_from_slice(format!("id: {id}\n").as_bytes());
        }
        for line in event.data.split('\n') {
            written.extend_from_slice(format!("data: {line}\n").as_bytes());
        }
        written.push(b'\n');
    }
    let (back, refused) = read_events(Parser::DEFAULT_LIMIT, &[&written]);
    assert_eq!(refused, None);
    assert_eq!(
        back,
        events,
        "written back: {:?}",
        String::from_utf8_lossy(&written)
    );
}

/// Parts for the multipart round trip, four lines each: the name; empty, or any byte then
/// the file name; `j` for a JSON part, or anything else; the content (any bytes but LF).
fn parts_of(text: &[u8]) -> Vec<Part> {
    // A name cannot hold a quote, CR or LF as it is: the encoder percent-encodes those.
    let name = |bytes: &[u8]| String::from_utf8_lossy(bytes).replace(['"', '\r', '\n'], "_");
    text.split(|&b| b == b'\n')
        .collect::<Vec<_>>()
        .chunks(4)
        .map(|lines| {
            let get = |i: usize| lines.get(i).copied().unwrap_or_default();
            Part {
                name: name(get(0)),
                filename: (!get(1).is_empty()).then(|| name(&get(1)[1..])),
                content_type: get(2)
                    .starts_with(b"j")
                    .then(|| "application/json".to_owned()),
                data: Bytes::copy_from_slice(get(3)),
            }
        })
        .collect()
}

/// The multipart parser the local endpoint reads uploads with. An input whose first line is
/// `#parts BOUNDARY` describes parts (see `parts_of`): they are written by the runtime's own
/// encoder, with the first boundary that clashes with none of them, and must parse back as
/// themselves. Any other input is a Content-Type line and a body: parsing it is
/// deterministic, and every part it finds has a name.
pub fn multipart(data: &[u8]) {
    let (head, rest) = line(data);
    let head = head.unwrap_or_default();
    if let Some(boundary) = head.strip_prefix(b"#parts ") {
        let parts = parts_of(rest);
        // The boundary characters of RFC 2046, without the space.
        let allowed = |b: &u8| b.is_ascii_alphanumeric() || b"'()+_,-./:=?".contains(b);
        let first: String = boundary
            .iter()
            .filter(|b| allowed(b))
            .take(70)
            .map(|&b| char::from(b))
            .collect();
        let mut candidates = std::iter::once(first).chain((0..).map(|n| format!("b{n}")));
        let boundary = multipart::boundary_for(&parts, || candidates.next().unwrap_or_default());
        let body = multipart::write(&parts, &boundary);
        let content_type = multipart::content_type(&boundary);
        match multipart::parse(&content_type, &body) {
            Ok(back) => assert_eq!(back, parts, "boundary {boundary:?}"),
            Err(e) => panic!("{e}: {:?}", String::from_utf8_lossy(&body)),
        }
        return;
    }
    let content_type = String::from_utf8_lossy(head);
    let parsed = multipart::parse(&content_type, rest);
    assert_eq!(
        parsed,
        multipart::parse(&content_type, rest),
        "deterministic"
    );
}

/// The profile file reader. Raw input: a first line naming the profile and the file's text.
/// Input whose first line is `#write FLAGS` is the values of a profile (`secret_id`,
/// `secret_key`, `token` lines) written into a file with the layout FLAGS pick (other
/// sections, comments, CRLF, spaces, key order, a byte order mark): the reader must find exactly those values,
/// trimmed, or say which is empty.
pub fn profile(data: &[u8]) {
    let path = Path::new("/fuzz/credentials");
    let (head, rest) = line(data);
    let head = head.unwrap_or_default();
    if let Some(flags) = head.strip_prefix(b"#write") {
        let mut lines = rest.split(|&b| b == b'\n').map(String::from_utf8_lossy);
        let mut value = || lines.next().unwrap_or_default().replace('\r', "");
        let (id, key, token) = (value(), value(), value());
        let flag = |bit: usize| {
            flags
                .get(bit / 8)
                .is_some_and(|byte| byte & (1 << (bit % 8)) != 0)
        };
        let profile = if flag(0) { "work" } else { "default" };
        let eol = if flag(1) { "\r\n" } else { "\n" };
        let (indent, eq) = match (flag(2), flag(3)) {
            (true, true) => ("  ", "="),
            (true, false) => ("\t", " = "),
            (false, true) => ("", "="),
            (false, false) => ("", " = "),
        };
        // A byte order mark, as some Windows editors start a UTF-8 file with.
        let mut text = String::from(if flag(9) { "\u{feff}" } else { "" });
        if flag(4) {
            text += &format!("# written by the fuzzer{eol}; another comment{eol}{eol}");
        }
        if flag(5) {
            text += &format!("[other]{eol}secret_id = other-id{eol}secret_key = other-key{eol}");
        }
        text += &format!("[ {profile} ]{eol}");
        let mut entries = vec![("secret_id", &id), ("secret_key", &key), ("token", &token)];
        if flag(6) {
            entries.reverse();
        }
        for (name, value) in entries {
            text += &format!("{indent}{name}{eq}{value}{eol}");
            if flag(7) {
                text += &format!("{indent}region = ap-guangzhou{eol}{eol}");
            }
        }
        if flag(8) {
            text += &format!("[after]{eol}secret_id = after{eol}");
        }
        let read = super::credential::profile::parse(&text, profile, path);
        let (id, key, token) = (id.trim(), key.trim(), token.trim());
        match read {
            Ok(credential) => {
                assert_eq!(credential.secret_id(), id, "{text:?}");
                assert_eq!(credential.secret_key(), key, "{text:?}");
                assert_eq!(credential.token(), Some(token).filter(|t| !t.is_empty()));
            }
            Err(CredentialError::Invalid { .. }) => {
                assert!(id.is_empty() || key.is_empty(), "{read:?} for {text:?}");
            }
            Err(e) => panic!("{e} for {text:?}"),
        }
        return;
    }
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let profile = String::from_utf8_lossy(head);
    let read = super::credential::profile::parse(text, &profile, path);
    let again = super::credential::profile::parse(text, &profile, path);
    assert_eq!(format!("{read:?}"), format!("{again:?}"), "deterministic");
    if let Ok(credential) = read {
        let sane =
            |value: &str| !value.is_empty() && value.trim() == value && !value.contains('\n');
        assert!(sane(credential.secret_id()) && sane(credential.secret_key()));
    }
}

/// An endpoint as a request is built from it: a URL that parses, with that authority, no
/// path but `/`, a `Host` that is a valid header, and that reads back as itself.
fn usable(endpoint: &Endpoint) {
    let url = endpoint.url();
    let uri: http::Uri = url
        .parse()
        .unwrap_or_else(|e| panic!("{url:?} is not a URI: {e}"));
    assert_eq!(
        uri.authority().map(|a| a.as_str()),
        Some(endpoint.authority.as_str()),
        "{url:?}"
    );
    assert_eq!(uri.path(), "/", "{url:?}");
    assert!(uri.query().is_none(), "{url:?}");
    assert!(
        http::HeaderValue::from_str(&endpoint.authority).is_ok(),
        "{url:?}"
    );
    // reqwest, the default transport, reads the request's URI as a `url::Url`.
    assert!(reqwest::Url::parse(&url).is_ok(), "{url:?} is not a URL");
    if let Some(port) = uri.port() {
        assert!(
            port.as_str().bytes().all(|b| b.is_ascii_digit()),
            "{url:?}: the port is digits"
        );
    }
    assert_eq!(
        Endpoint::parse(&url).as_ref(),
        Ok(endpoint),
        "{url:?} reads back as itself"
    );
}

/// A plain service name or region, such as a spec or a user gives (`cvm`, `ap-guangzhou`):
/// what every template that was accepted must resolve with. It starts with a letter: a
/// host whose last label is a number must be an IPv4 address under the URL standard.
fn plain(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !name.ends_with('-')
}

/// Endpoint templates. Lines: the template, then the region (no line: none), then the
/// service (no line: `cvm`). Properties: every endpoint accepted is usable (see `usable`);
/// a template without placeholders resolves to the endpoint its text is; a template that
/// was accepted resolves for every plain service name and region, unless the host it makes
/// has a punycode label (`xn--`): a label made of names is valid for some names only, and a
/// template is checked with sample names (a name that does not fit is a typed error when
/// the client is made).
pub fn endpoint(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let mut lines = text.split('\n');
    let template = lines.next().unwrap_or_default();
    let region = lines.next();
    let service = lines.next().unwrap_or("cvm");
    if let Ok(endpoint) = Endpoint::parse(template) {
        usable(&endpoint);
    }
    let parsed: Result<Template, InvalidEndpoint> = Template::parse(template, region);
    let Ok(parsed) = parsed else {
        return;
    };
    let resolved = parsed.resolve(service, region);
    if let Ok(endpoint) = &resolved {
        usable(endpoint);
    }
    if !template.contains('{') {
        assert_eq!(resolved, Endpoint::parse(template), "{template:?}");
    }
    if plain(service) && region.is_none_or(plain) {
        match &resolved {
            Ok(_) => {}
            // A host with a punycode label is checked as one, and the label is made of the
            // names: valid for some, not for others, whatever the sample names gave.
            Err(e) if e.value.to_ascii_lowercase().contains("xn--") => {}
            Err(e) => panic!("{template:?} with {service:?} {region:?}: {e:?}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inputs_split_into_lines() {
        assert_eq!(
            http_parts(b"404 text/html\n<html>"),
            (404, Some("text/html".to_owned()), &b"<html>"[..])
        );
        assert_eq!(http_parts(b"{\"a\":\n1}"), (200, None, &b"{\"a\":\n1}"[..]));
        assert_eq!(chunks(&[2, 1], b"abcde"), [&b"ab"[..], b"c", b"d", b"e"]);
        let parts = parts_of(b"File\n-File\n\ncontent\nTags\n\nj\n[1]");
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0].filename.as_deref(), Some("File"));
        assert_eq!(parts[1].content_type.as_deref(), Some("application/json"));
    }
}
