//! Calls by name: the action a name stands for, and the body a caller's value makes, so
//! that a call by name is sent, retried and routed as a generated method of the same
//! action would be.
//!
//! - **The action.** A generated client gives the runtime its service's actions
//!   ([`super::Client::with_actions`]); a name found there is that action, with its region
//!   rule, rate limit and retry safety from the catalog. Another name is an action this
//!   client does not know: safe to repeat when its name says it only reads
//!   (`tencentcloud_common_codes::is_read_only`: `Describe*`, `Get*`, `List*`, ...), with
//!   no region rule of its own.
//! - **The body.** Any `Serialize` value that is a JSON object. A `ClientToken` in it makes
//!   the call safe to repeat, as it does for a generated request: an empty one is filled
//!   with a fresh UUID before the first attempt, and every attempt carries the same one.

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};
use serde_json::{Map, Value};

use super::action::{Action, Held, Request};
use crate::body::{JsonWriter, WriteJson};
use crate::decode::{self, Decode};
use crate::error::{Error, ErrorCode, ErrorKind, InvalidResponse};

/// The field whose value lets the service tell a retry from a new request.
const CLIENT_TOKEN: &str = "ClientToken";

/// The action `name` stands for among `known` (a generated client's actions), or one named
/// at run time whose retry safety its name decides.
pub(crate) fn action(known: &'static [&'static Action], name: &str) -> Held {
    match known.iter().find(|action| action.name() == name) {
        Some(action) => Held::Static(action),
        None if tencentcloud_common_codes::is_read_only(name) => {
            Held::Made(Box::new(Action::named(name).idempotent()))
        }
        None => Held::Made(Box::new(Action::named(name))),
    }
}

/// A caller's body, as a request: its fields, and its `ClientToken` kept apart so the call
/// can fill it.
#[derive(Debug, Clone)]
pub(crate) struct Body {
    fields: Map<String, Value>,
    /// `Some` when the body has a `ClientToken`: its text, or `None` when empty or `null`.
    token: Option<Option<String>>,
}

impl Body {
    /// The body `value` makes; an error names what it is when it is not a JSON object.
    pub(crate) fn new(value: &impl Serialize) -> Result<Self, String> {
        let mut fields = match serde_json::to_value(value).map_err(|e| e.to_string())? {
            Value::Object(fields) => fields,
            other => {
                return Err(format!(
                    "a body called by name must be a JSON object, not {}",
                    kind(&other)
                ))
            }
        };
        let token = match fields.remove(CLIENT_TOKEN) {
            None => None,
            Some(Value::Null) => Some(None),
            Some(Value::String(text)) => Some(Some(text).filter(|t| !t.is_empty())),
            Some(other) => {
                return Err(format!(
                    "`{CLIENT_TOKEN}` must be text, not {}",
                    kind(&other)
                ))
            }
        };
        Ok(Self { fields, token })
    }

    /// The body as JSON, its token in it (for a mock, which keeps what was sent).
    pub(crate) fn into_value(self) -> Value {
        let mut fields = self.fields;
        if let Some(token) = self.token {
            fields.insert(
                CLIENT_TOKEN.to_owned(),
                token.map_or(Value::Null, Value::String),
            );
        }
        Value::Object(fields)
    }
}

impl Serialize for Body {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.fields.len() + 1))?;
        for (key, value) in &self.fields {
            map.serialize_entry(key, value)?;
        }
        if let Some(Some(token)) = &self.token {
            map.serialize_entry(CLIENT_TOKEN, token)?;
        }
        map.end()
    }
}

impl WriteJson for Body {
    fn write_json(&self, out: &mut JsonWriter) {
        out.serde(self);
    }
}

impl Request for Body {
    fn client_token(&mut self) -> Option<&mut Option<String>> {
        self.token.as_mut()
    }
}

/// A mock's answer to a call by name (the JSON queued for the action), read as `T` under
/// the decoding policy, as a real answer would be.
pub(crate) fn read_mocked<T: Decode, E: ErrorCode>(
    action: &str,
    value: Value,
) -> Result<T, Error<E>> {
    let mut envelope = Map::new();
    envelope.insert("Response".to_owned(), value);
    let body = serde_json::to_vec(&envelope).unwrap_or_default();
    decode::response::<T>(&body)
        .map(|decoded| decoded.output)
        .map_err(|e| {
            let reason =
                format!("the mock's response for {action} does not read as the call's type: {e}");
            ErrorKind::InvalidResponse(InvalidResponse::new(200, None, &body, reason)).into()
        })
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a bool",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::call::prepare::encode;

    static DESCRIBE: Action = Action::new("DescribeThings")
        .idempotent()
        .region(crate::RegionRule::Required);
    static KNOWN: [&Action; 1] = [&DESCRIBE];

    #[test]
    fn known_names_are_their_actions_and_others_are_judged_by_name() {
        assert_eq!(*action(&KNOWN, "DescribeThings"), DESCRIBE);
        assert!(action(&[], "DescribeOther").is_idempotent());
        assert!(action(&[], "ListOther").is_idempotent());
        assert!(!action(&[], "CreateThing").is_idempotent());
        assert!(!action(&[], "Describer").is_idempotent());
    }

    #[test]
    fn a_client_token_is_filled_and_makes_the_call_safe_to_repeat() {
        let create = Action::named("CreateThing");
        let mut body = Body::new(&json!({"Name": "a", "ClientToken": ""})).unwrap();
        let (encoded, repeatable) = encode(&create, &mut body).unwrap();
        assert!(repeatable);
        let sent: Value = serde_json::from_slice(&encoded.bytes).unwrap();
        assert_eq!(sent["Name"], "a");
        assert_eq!(sent["ClientToken"].as_str().unwrap().len(), 36);
        // Kept as given when set; without one, the action's own rule decides.
        let mut body = Body::new(&json!({"ClientToken": "mine"})).unwrap();
        let (encoded, _) = encode(&create, &mut body).unwrap();
        assert_eq!(encoded.bytes.as_ref(), br#"{"ClientToken":"mine"}"#);
        let mut body = Body::new(&json!({"Name": "a"})).unwrap();
        assert!(!encode(&create, &mut body).unwrap().1);
    }

    #[test]
    fn a_body_that_is_no_object_is_refused_with_what_it_is() {
        assert_eq!(
            Body::new(&json!([1])).unwrap_err(),
            "a body called by name must be a JSON object, not a list"
        );
        assert_eq!(
            Body::new(&json!({"ClientToken": 5})).unwrap_err(),
            "`ClientToken` must be text, not a number"
        );
    }
}
