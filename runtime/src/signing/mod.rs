//! TC3-HMAC-SHA256, the signature of Tencent Cloud API 3.0, as pure functions.
//!
//! Nothing here reads a clock, the environment or the network: the caller passes the
//! timestamp and the credential, so every stage can be tested against fixed vectors and the
//! local endpoint can verify a signature with the very code that made it.
//!
//! The stages follow Tencent's documentation: [`canonical_request`] →
//! [`string_to_sign`] (over the SHA-256 of the canonical request) → [`signing_key`] →
//! [`signature`] → [`authorization`]. [`sign`] runs them all and returns the headers to add.

pub mod legacy;

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use crate::clock::civil_from_days;
use crate::credential::Credential;

/// The algorithm name that starts the string to sign and the Authorization header.
pub const ALGORITHM: &str = "TC3-HMAC-SHA256";
/// The headers covered by the signature. Tencent requires at least these two.
pub const SIGNED_HEADERS: &str = "content-type;host";
/// The value of `X-TC-Content-SHA256` for a request whose body is not signed.
pub const UNSIGNED_PAYLOAD: &str = "UNSIGNED-PAYLOAD";

/// What the signature covers of the request body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Payload<'a> {
    /// The body bytes are hashed into the signature (the normal case; empty for GET).
    Bytes(&'a [u8]),
    /// The body is left out of the signature; the request must carry
    /// `X-TC-Content-SHA256: UNSIGNED-PAYLOAD`, which [`sign`] adds.
    Unsigned,
}

/// Everything of a request that the signature depends on, apart from the credential.
#[derive(Debug, Clone, Copy)]
pub struct SigningRequest<'a> {
    /// HTTP method, upper case: `POST` or `GET`.
    pub method: &'a str,
    /// The `Host` header exactly as sent, with a port if the URL has one.
    pub host: &'a str,
    /// The URL path, `/` for every API 3.0 action.
    pub path: &'a str,
    /// The URL-encoded query string without `?`; empty for POST.
    pub query: &'a str,
    /// The `Content-Type` header exactly as sent.
    pub content_type: &'a str,
    /// The body, or [`Payload::Unsigned`].
    pub payload: Payload<'a>,
    /// The service name, the first label of the default host (`cvm`, `organization`).
    pub service: &'a str,
    /// Seconds since the Unix epoch; also sent as `X-TC-Timestamp`.
    pub timestamp: u64,
}

/// The headers a signed request carries besides the ones it was signed over.
#[derive(Clone, PartialEq, Eq)]
pub struct SignedHeaders {
    /// Value of `Authorization`.
    pub authorization: String,
    /// Value of `X-TC-Timestamp`.
    pub timestamp: String,
    /// Value of `X-TC-Token`, present only for a temporary credential.
    pub token: Option<String>,
    /// Value of `X-TC-Content-SHA256`, present only for an unsigned payload.
    pub content_sha256: Option<&'static str>,
}

impl SignedHeaders {
    /// The headers as `(name, value)` pairs, in the order they should be added.
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, &str)> {
        [
            Some(("Authorization", self.authorization.as_str())),
            Some(("X-TC-Timestamp", self.timestamp.as_str())),
            self.token.as_deref().map(|t| ("X-TC-Token", t)),
            self.content_sha256.map(|v| ("X-TC-Content-SHA256", v)),
        ]
        .into_iter()
        .flatten()
    }
}

impl std::fmt::Debug for SignedHeaders {
    // The token is a secret; the signature is not (it is useless without the request).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignedHeaders")
            .field("authorization", &self.authorization)
            .field("timestamp", &self.timestamp)
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .field("content_sha256", &self.content_sha256)
            .finish()
    }
}

/// Signs `request` with `credential` and returns the headers to add to it.
pub fn sign(request: &SigningRequest<'_>, credential: &Credential) -> SignedHeaders {
    let date = utc_date(request.timestamp);
    let key = DerivedKey::new(credential.secret_key(), &date, request.service);
    sign_with(request, credential, &key)
}

/// Signs like [`sign`] with a key already derived for the request's date and service (see
/// [`DerivedKey`]), which saves four of the five HMACs: clients keep one per day.
pub fn sign_with(
    request: &SigningRequest<'_>,
    credential: &Credential,
    key: &DerivedKey,
) -> SignedHeaders {
    SignedHeaders {
        authorization: authorization_with(request, credential.secret_id(), key),
        timestamp: request.timestamp.to_string(),
        token: credential.token().map(str::to_owned),
        content_sha256: match request.payload {
            Payload::Bytes(_) => None,
            Payload::Unsigned => Some(UNSIGNED_PAYLOAD),
        },
    }
}

/// The `Authorization` value alone, as [`sign_with`] makes it: all a client needs on its
/// hot path, with nothing else allocated.
pub fn authorization_with(
    request: &SigningRequest<'_>,
    secret_id: &str,
    key: &DerivedKey,
) -> String {
    // The canonical request is hashed as it is written, never held as a string.
    let head = authorization_head(secret_id, request.service, request.timestamp);
    let mac = SecondMac::new(key, request.service, request.timestamp);
    text(CanonicalPrefix::new(request).authorization(request.payload, mac, head))
}

/// Stages 2 to 5 from the canonical request's hasher, all of it written, and the string to
/// sign's MAC up to the canonical request's hash: the signature written after `head`, the
/// header's text before it (with room for the signature, as [`authorization_head`] makes).
fn signed(canonical: Sha256, mac: SecondMac, mut head: Vec<u8>) -> Vec<u8> {
    let hashed = hex32(&canonical.finalize().into());
    let mut mac = mac.0;
    mac.update(&hashed);
    head.extend_from_slice(&hex32(&mac.finalize().into_bytes().into()));
    head
}

/// The string to sign's MAC under a derived key, with the string written up to the
/// canonical request's hash (the algorithm, the time, the credential scope): the same for
/// every request of one second, service and key, so a client makes it once a second and
/// signs each request from a copy of it (ten small writes fewer a request).
#[derive(Clone)]
pub(crate) struct SecondMac(Hmac<Sha256>);

impl SecondMac {
    /// The MAC for requests to `service` signed at `timestamp` with `key`.
    pub(crate) fn new(key: &DerivedKey, service: &str, timestamp: u64) -> Self {
        let date = utc_date_digits(timestamp);
        let mut mac = key.mac.clone();
        write_string_to_sign(&mut mac, timestamp, &date, service, b"");
        Self(mac)
    }
}

impl std::fmt::Debug for SecondMac {
    // Keyed by the secret key's derivative: never shown.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecondMac(<redacted>)")
    }
}

/// The canonical request's hash with all that comes before the payload's hash written: the
/// same for every request of one method, host, path, query and content type, so a client
/// keeps one per endpoint and signs each request from a copy of it.
#[derive(Clone)]
pub(crate) struct CanonicalPrefix(Sha256);

impl std::fmt::Debug for CanonicalPrefix {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CanonicalPrefix(..)")
    }
}

impl CanonicalPrefix {
    /// The prefix of `request`'s canonical request (its payload, service and timestamp are
    /// not read).
    pub(crate) fn new(request: &SigningRequest<'_>) -> Self {
        let mut hash = HashWriter(Sha256::new());
        let _ = write_canonical_prefix(&mut hash, request);
        Self(hash.0)
    }

    /// The `Authorization` value of a request with this prefix and `payload` (stages 1 to
    /// 5), as the bytes of its header (ASCII but for the secret id's own text): `head` (see
    /// [`DayKey::begun`]), then the signature, whose string to sign `mac` has begun (see
    /// [`SecondMac`]). The prefix is lent: a kept one is copied once, here.
    pub(crate) fn authorization(
        &self,
        payload: Payload<'_>,
        mac: SecondMac,
        head: Vec<u8>,
    ) -> Vec<u8> {
        let mut canonical = self.0.clone();
        canonical.update(payload_digest(payload));
        signed(canonical, mac, head)
    }
}

/// What every signature of one credential, service and day shares, made once a day by a
/// client: the derived key (four of a signature's five HMACs), and the `Authorization`
/// header up to its signature (credential, scope and signed headers).
pub(crate) struct DayKey {
    key: DerivedKey,
    head: Vec<u8>,
}

impl std::fmt::Debug for DayKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DayKey(..)")
    }
}

impl DayKey {
    /// The day of `timestamp`'s, for `secret_id` and `secret_key` calling `service`.
    pub(crate) fn new(secret_id: &str, secret_key: &str, service: &str, timestamp: u64) -> Self {
        Self {
            key: DerivedKey::new(secret_key, as_str(&utc_date_digits(timestamp)), service),
            head: authorization_head(secret_id, service, timestamp),
        }
    }

    /// The derived key.
    pub(crate) fn key(&self) -> &DerivedKey {
        &self.key
    }

    /// A new `Authorization` value begun: the header up to its signature, with room for
    /// the signature.
    pub(crate) fn begun(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.head.len() + SIGNATURE_HEX);
        out.extend_from_slice(&self.head);
        out
    }
}

/// The key derived from a secret key for one date and service (stage 3), ready to sign
/// strings of that date and service.
#[derive(Clone)]
pub struct DerivedKey {
    mac: Hmac<Sha256>,
}

impl DerivedKey {
    /// Derives the key: HMAC-SHA256 of the date under `TC3` + the secret key, then of the
    /// service, then of `tc3_request`.
    pub fn new(secret_key: &str, date: &str, service: &str) -> Self {
        let key = signing_key(secret_key, date, service);
        Self {
            mac: Hmac::<Sha256>::new_from_slice(&key).expect("HMAC accepts keys of any length"),
        }
    }
}

impl std::fmt::Debug for DerivedKey {
    // Derived from the secret key: never shown.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DerivedKey(<redacted>)")
    }
}

/// Stage 1: the canonical request, whose SHA-256 goes into the string to sign.
pub fn canonical_request(request: &SigningRequest<'_>) -> String {
    let mut out = String::with_capacity(
        160 + request.host.len() + request.content_type.len() + request.query.len(),
    );
    let _ = write_canonical_request(&mut out, request);
    out
}

/// Writes the canonical request to `out`: a string for [`canonical_request`], a hasher for
/// [`authorization_with`]; a client hashes the same prefix once per endpoint
/// ([`CanonicalPrefix`]) and then each payload's hash.
fn write_canonical_request(
    out: &mut impl std::fmt::Write,
    request: &SigningRequest<'_>,
) -> std::fmt::Result {
    write_canonical_prefix(out, request)?;
    out.write_str(as_str(&payload_digest(request.payload)))
}

/// The canonical request up to the payload's hash.
fn write_canonical_prefix(
    out: &mut impl std::fmt::Write,
    request: &SigningRequest<'_>,
) -> std::fmt::Result {
    // Header values are lower-cased names with trimmed values; the two we sign are fixed.
    // Plain writes rather than `write!`.
    for part in [
        request.method,
        "\n",
        request.path,
        "\n",
        request.query,
        "\ncontent-type:",
    ] {
        out.write_str(part)?;
    }
    write_lowercase(out, request.content_type.trim())?;
    out.write_str("\nhost:")?;
    write_lowercase(out, request.host.trim())?;
    for part in ["\n\n", SIGNED_HEADERS, "\n"] {
        out.write_str(part)?;
    }
    Ok(())
}

/// `text` lower-cased, without allocating when it already is.
fn write_lowercase(out: &mut impl std::fmt::Write, text: &str) -> std::fmt::Result {
    if text.bytes().any(|b| b.is_ascii_uppercase()) {
        out.write_str(&text.to_ascii_lowercase())
    } else {
        out.write_str(text)
    }
}

/// The hex SHA-256 of the body, or of the literal `UNSIGNED-PAYLOAD` when it is not signed.
pub fn hashed_payload(payload: Payload<'_>) -> String {
    as_str(&payload_digest(payload)).to_owned()
}

/// [`hashed_payload`] on the stack.
fn payload_digest(payload: Payload<'_>) -> [u8; 64] {
    let bytes = match payload {
        Payload::Bytes(bytes) => bytes,
        Payload::Unsigned => UNSIGNED_PAYLOAD.as_bytes(),
    };
    hex32(&Sha256::digest(bytes).into())
}

/// The credential scope: `DATE/SERVICE/tc3_request`.
pub fn credential_scope(date: &str, service: &str) -> String {
    text(scope_parts(date.as_bytes(), service.as_bytes()).concat())
}

/// The credential scope in pieces, for writers that must not allocate; the one place its
/// form is written.
fn scope_parts<'a>(date: &'a [u8], service: &'a [u8]) -> [&'a [u8]; 4] {
    [date, b"/", service, b"/tc3_request"]
}

/// Stage 2: the string to sign, from the hex SHA-256 of the canonical request.
pub fn string_to_sign(
    timestamp: u64,
    date: &str,
    service: &str,
    hashed_canonical_request: &str,
) -> String {
    let mut out = Vec::with_capacity(128);
    write_string_to_sign(
        &mut out,
        timestamp,
        date.as_bytes(),
        service,
        hashed_canonical_request.as_bytes(),
    );
    text(out)
}

/// Writes the string to sign to `out`: a buffer for [`string_to_sign`], the MAC itself for a
/// signature. Bytes, not text: the date and the hash are hex digits on the stack, fed as
/// they are.
fn write_string_to_sign(
    out: &mut impl Sink,
    timestamp: u64,
    date: &[u8],
    service: &str,
    hashed_canonical_request: &[u8],
) {
    let mut digits = [0u8; 20];
    let head = [
        ALGORITHM.as_bytes(),
        b"\n",
        decimal(timestamp, &mut digits),
        b"\n",
    ];
    let scope = scope_parts(date, service.as_bytes());
    for parts in [&head[..], &scope, &[b"\n", hashed_canonical_request]] {
        for part in parts {
            out.put(part);
        }
    }
}

/// What takes the bytes of the string to sign.
trait Sink {
    fn put(&mut self, bytes: &[u8]);
}

impl Sink for Vec<u8> {
    fn put(&mut self, bytes: &[u8]) {
        self.extend_from_slice(bytes);
    }
}

impl Sink for Hmac<Sha256> {
    fn put(&mut self, bytes: &[u8]) {
        Mac::update(self, bytes);
    }
}

/// `n` in decimal, written into `buffer`.
fn decimal(mut n: u64, buffer: &mut [u8; 20]) -> &[u8] {
    let mut at = buffer.len();
    loop {
        at -= 1;
        buffer[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    &buffer[at..]
}

/// Stage 3: the key derived from the secret key for one date and service.
pub fn signing_key(secret_key: &str, date: &str, service: &str) -> [u8; 32] {
    let mut key = Vec::with_capacity(4 + secret_key.len());
    key.extend_from_slice(b"TC3");
    key.extend_from_slice(secret_key.as_bytes());
    let date_key = hmac_sha256(&key, date.as_bytes());
    let service_key = hmac_sha256(&date_key, service.as_bytes());
    hmac_sha256(&service_key, b"tc3_request")
}

/// Stage 4: the hex HMAC-SHA256 of the string to sign under the derived key.
pub fn signature(signing_key: &[u8; 32], string_to_sign: &str) -> String {
    as_str(&hex32(&hmac_sha256(signing_key, string_to_sign.as_bytes()))).to_owned()
}

/// Stage 5: the value of the `Authorization` header.
pub fn authorization(secret_id: &str, date: &str, service: &str, signature: &str) -> String {
    text(authorization_bytes(
        secret_id.as_bytes(),
        date.as_bytes(),
        service.as_bytes(),
        signature.as_bytes(),
        0,
    ))
}

/// [`authorization`] as bytes, written from its parts in one allocation of the exact size
/// and `room` bytes more: the date and signature are digits on the stack, never checked as
/// text. With an empty signature, the head every signature of a day follows (see
/// [`DayKey`]).
fn authorization_bytes(
    secret_id: &[u8],
    date: &[u8],
    service: &[u8],
    signature: &[u8],
    room: usize,
) -> Vec<u8> {
    let head = [ALGORITHM.as_bytes(), b" Credential=", secret_id, b"/"];
    let scope = scope_parts(date, service);
    let tail = [
        b", SignedHeaders=".as_slice(),
        SIGNED_HEADERS.as_bytes(),
        b", Signature=",
        signature,
    ];
    let parts = [&head[..], &scope, &tail];
    let size: usize = parts.iter().flat_map(|p| p.iter()).map(|p| p.len()).sum();
    let mut out = Vec::with_capacity(size + room);
    for part in parts.iter().flat_map(|p| p.iter()) {
        out.extend_from_slice(part);
    }
    out
}

/// The `Authorization` header up to its signature, for `secret_id` calling `service` on the
/// day of `timestamp`: what every signature of that day follows. With room for the
/// signature after it.
fn authorization_head(secret_id: &str, service: &str, timestamp: u64) -> Vec<u8> {
    let date = utc_date_digits(timestamp);
    authorization_bytes(
        secret_id.as_bytes(),
        &date,
        service.as_bytes(),
        b"",
        SIGNATURE_HEX,
    )
}

/// The length of a signature in hex.
const SIGNATURE_HEX: usize = 64;

/// Text made of text given and ASCII, as a `String` without a copy.
fn text(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Feeds formatted text to a hasher.
struct HashWriter(Sha256);

impl std::fmt::Write for HashWriter {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.0.update(s.as_bytes());
        Ok(())
    }
}

/// The two lower-case hex digits of each byte, looked up whole: half the steps of digit by
/// digit, on the path of every signature.
const HEX_PAIRS: [[u8; 2]; 256] = {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut pairs = [[0; 2]; 256];
    let mut byte = 0;
    while byte < 256 {
        pairs[byte] = [DIGITS[byte >> 4], DIGITS[byte & 0x0f]];
        byte += 1;
    }
    pairs
};

/// Lower-case hex of a 32-byte digest, on the stack.
fn hex32(bytes: &[u8; 32]) -> [u8; 64] {
    let mut out = [0u8; 64];
    hex_into(bytes, &mut out);
    out
}

/// Writes the lower-case hex of `bytes` at the start of `out` (two digits a byte; bytes
/// beyond `out`'s room are left out).
pub(crate) fn hex_into(bytes: &[u8], out: &mut [u8]) {
    for (pair, byte) in out.chunks_exact_mut(2).zip(bytes) {
        pair.copy_from_slice(&HEX_PAIRS[usize::from(*byte)]);
    }
}

/// ASCII digits (hex, a date) as text.
fn as_str(digits: &[u8]) -> &str {
    std::str::from_utf8(digits).unwrap_or_default()
}

/// The UTC calendar date (`YYYY-MM-DD`) of a Unix timestamp, as the credential scope needs.
pub fn utc_date(timestamp: u64) -> String {
    String::from_utf8_lossy(&utc_date_digits(timestamp)).into_owned()
}

/// `YYYY-MM-DD` on the stack (years past 9999 wrap: the scope has four digits).
fn utc_date_digits(timestamp: u64) -> [u8; 10] {
    let (year, month, day) = civil_from_days((timestamp / 86_400) as i64);
    let digit = |n: i64| b'0' + n.rem_euclid(10) as u8;
    let (month, day) = (i64::from(month), i64::from(day));
    [
        digit(year / 1000),
        digit(year / 100),
        digit(year / 10),
        digit(year),
        b'-',
        digit(month / 10),
        digit(month),
        b'-',
        digit(day / 10),
        digit(day),
    ]
}

/// Lower-case hex SHA-256.
pub fn sha256_hex(bytes: &[u8]) -> String {
    as_str(&hex32(&Sha256::digest(bytes).into())).to_owned()
}

fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC accepts keys of any length");
    mac.update(message);
    mac.finalize().into_bytes().into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals() {
        for n in [0, 7, 10, 1_551_113_065, u64::MAX] {
            assert_eq!(decimal(n, &mut [0; 20]), n.to_string().as_bytes());
        }
    }

    #[test]
    fn utc_dates_across_boundaries() {
        assert_eq!(utc_date(0), "1970-01-01");
        assert_eq!(utc_date(1_551_113_065), "2019-02-25");
        assert_eq!(utc_date(951_782_400), "2000-02-29");
        assert_eq!(utc_date(1_709_251_199), "2024-02-29");
        assert_eq!(utc_date(1_709_251_200), "2024-03-01");
        assert_eq!(utc_date(4_102_444_799), "2099-12-31");
    }
}
