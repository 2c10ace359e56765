//! The example responses of the specs as a check of the generated types: a module, beside the
//! services in the module tree, whose `run` reads each example response that is JSON into its
//! action's response type through the runtime's decoding policy (`decode::response`), and
//! reports how many there were and which failed, with the action and the field.
//!
//! With the crate's `serde` feature it also round-trips them: each response read is
//! serialised and read again, and must come back equal; and each example request whose body
//! is JSON is read strictly into its request type and serialised again, and must be the same
//! JSON up to key order and fields the example gives as `null`.
//!
//! `scripts/catalog.sh` generates it (`generate --response-checks`) and runs it for every
//! service it checks; the client itself never includes it.

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::Service;

/// The module's source, for the services given (each behind its feature when `gated`).
pub fn module(services: &[&Service], gated: bool) -> TokenStream {
    let per_service = services.iter().map(|service| {
        let name = &service.name;
        let version = &service.version;
        let krate = crate::emit_ident(name);
        let module = crate::emit::ident(&service.module);
        let mut not_json = 0usize;
        let mut checks = Vec::new();
        // Whether a check runs without the `serde` feature (a response's); request checks
        // need it.
        let mut plain = false;
        for action in &service.actions {
            for example in &action.examples {
                let (wire, title) = (&action.wire, &example.title);
                if let Some(body) = json_body(&example.input) {
                    let request = crate::emit::ident(&action.request);
                    checks.push(quote! {
                        #[cfg(feature = "serde")]
                        report.request::<#module::#request>(#wire, #title, #body);
                    });
                }
                if serde_json::from_str::<serde::de::IgnoredAny>(&example.output).is_err() {
                    not_json += 1;
                    continue;
                }
                let response = crate::emit::ident(&action.response);
                let output = &example.output;
                plain = true;
                checks.push(quote! {
                    report.check::<#module::#response>(#wire, #title, #output);
                });
            }
        }
        let gate = gated.then(|| quote!(#[cfg(feature = #name)]));
        // A service version without a JSON example checks nothing, so it names no types;
        // one with JSON example requests only names them with `serde`.
        let types = (!checks.is_empty()).then(|| {
            let serde_only = (!plain).then(|| quote!(#[cfg(feature = "serde")]));
            quote!(#serde_only use super::#krate::#module;)
        });
        quote! {
            #gate
            {
                #types
                report.service(#name, #version, #not_json);
                #(#checks)*
            }
        }
    });
    quote! {
        //! Every example response of the generated services, read into its response type.

        /// What reading the examples found.
        #[derive(Debug, Default)]
        pub struct Report {
            /// Example responses read (those that are JSON).
            pub examples: usize,
            /// Example responses that are not JSON at all (the example's fault, not read).
            pub not_json: usize,
            /// Fields that were missing or `null` though their type requires them.
            pub corrections: usize,
            /// One line per example that could not be read: service, version, action,
            /// example and the error with the field's path.
            pub failures: ::std::vec::Vec<::std::string::String>,
            /// Responses read that were serialised and read again (feature `serde`).
            pub round_trips: usize,
            /// Responses that did not come back equal, or could not be read again.
            pub round_trip_failures: ::std::vec::Vec<::std::string::String>,
            /// Example requests with a JSON body, read and written again (feature `serde`).
            pub requests: usize,
            /// Example requests that could not be read strictly or came back otherwise.
            pub request_failures: ::std::vec::Vec<::std::string::String>,
            current: (&'static str, &'static str),
        }

        impl Report {
            fn service(&mut self, name: &'static str, version: &'static str, not_json: usize) {
                self.current = (name, version);
                self.not_json += not_json;
            }

            #[allow(dead_code)] // when no enabled service has a JSON example
            #[cfg(not(feature = "serde"))]
            fn check<T: ::tencentcloud_runtime::decode::Decode>(
                &mut self,
                action: &str,
                title: &str,
                answer: &str,
            ) {
                self.read::<T>(action, title, answer);
            }

            /// Reads `answer`, then serialises what it read and reads that: equal, or a
            /// round-trip failure.
            #[allow(dead_code)] // when no enabled service has a JSON example
            #[cfg(feature = "serde")]
            fn check<T>(&mut self, action: &str, title: &str, answer: &str)
            where
                T: ::tencentcloud_runtime::decode::Decode
                    + ::serde::Serialize
                    + ::core::cmp::PartialEq
                    + ::core::fmt::Debug,
            {
                let ::core::option::Option::Some(first) = self.read::<T>(action, title, answer) else {
                    return;
                };
                let (name, version) = self.current;
                let again = ::serde_json::to_vec(&::serde_json::json!({ "Response": &first }))
                    .map_err(|e| e.to_string())
                    .and_then(|body| {
                        ::tencentcloud_runtime::decode::response::<T>(&body)
                            .map(|decoded| decoded.output)
                            .map_err(|e| e.to_string())
                    });
                self.round_trips += 1;
                match again {
                    ::core::result::Result::Ok(again) if again == first => {}
                    ::core::result::Result::Ok(again) => self.round_trip_failures.push(::std::format!(
                        "{name} {version} {action} ({title}): read back as {again:?}, not {first:?}"
                    )),
                    ::core::result::Result::Err(error) => self
                        .round_trip_failures
                        .push(::std::format!("{name} {version} {action} ({title}): {error}")),
                }
            }

            fn read<T: ::tencentcloud_runtime::decode::Decode>(
                &mut self,
                action: &str,
                title: &str,
                answer: &str,
            ) -> ::core::option::Option<T> {
                self.examples += 1;
                match ::tencentcloud_runtime::decode::response::<T>(answer.as_bytes()) {
                    ::core::result::Result::Ok(decoded) => {
                        self.corrections += decoded.corrections.len();
                        ::core::option::Option::Some(decoded.output)
                    }
                    ::core::result::Result::Err(error) => {
                        let (name, version) = self.current;
                        self.failures
                            .push(::std::format!("{name} {version} {action} ({title}): {error}"));
                        ::core::option::Option::None
                    }
                }
            }

            /// Reads an example request's JSON strictly into its request type and writes it
            /// again: the same JSON, up to key order and the example's `null`s.
            #[allow(dead_code)] // when no enabled service has a JSON example request
            #[cfg(feature = "serde")]
            fn request<T>(&mut self, action: &str, title: &str, body: &str)
            where
                T: ::serde::de::DeserializeOwned + ::serde::Serialize,
            {
                let (name, version) = self.current;
                self.requests += 1;
                let mut failed = |why: ::std::string::String| {
                    self.request_failures
                        .push(::std::format!("{name} {version} {action} ({title}): {why}"));
                };
                let given: ::serde_json::Value = match ::serde_json::from_str(body) {
                    ::core::result::Result::Ok(value) => value,
                    ::core::result::Result::Err(error) => return failed(error.to_string()),
                };
                let typed: T = match ::serde_json::from_str(body) {
                    ::core::result::Result::Ok(typed) => typed,
                    ::core::result::Result::Err(error) => return failed(error.to_string()),
                };
                match ::serde_json::to_value(&typed) {
                    ::core::result::Result::Ok(written) if same(&written, &without_nulls(given.clone())) => {}
                    ::core::result::Result::Ok(written) => {
                        failed(::std::format!("written back as {written}, not {given}"))
                    }
                    ::core::result::Result::Err(error) => failed(error.to_string()),
                }
            }
        }

        /// Whether two JSON values are the same, numbers by value (`0` is `0.0`: a float
        /// field writes `0.0` for the example's `0`).
        #[cfg(feature = "serde")]
        fn same(a: &::serde_json::Value, b: &::serde_json::Value) -> bool {
            use ::serde_json::Value;
            match (a, b) {
                (Value::Number(x), Value::Number(y)) => {
                    x == y || (x.is_f64() || y.is_f64()) && x.as_f64() == y.as_f64()
                }
                (Value::Array(x), Value::Array(y)) => {
                    x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same(x, y))
                }
                (Value::Object(x), Value::Object(y)) => {
                    x.len() == y.len()
                        && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
                }
                _ => a == b,
            }
        }

        /// `value` without the object fields that are `null` (an absent `Option` is not
        /// written).
        #[cfg(feature = "serde")]
        fn without_nulls(value: ::serde_json::Value) -> ::serde_json::Value {
            match value {
                ::serde_json::Value::Object(map) => ::serde_json::Value::Object(
                    map.into_iter()
                        .filter(|(_, v)| !v.is_null())
                        .map(|(k, v)| (k, without_nulls(v)))
                        .collect(),
                ),
                ::serde_json::Value::Array(items) => {
                    ::serde_json::Value::Array(items.into_iter().map(without_nulls).collect())
                }
                other => other,
            }
        }

        /// Reads every example response of the enabled services.
        pub fn run() -> Report {
            #[allow(unused_mut)] // with no service enabled
            let mut report = Report::default();
            #(#per_service)*
            report
        }
    }
}

/// The JSON body of an example request written as HTTP (`POST / HTTP/1.1`, headers, a blank
/// line, the body), if it has one that parses; `None` for the query-string form.
fn json_body(input: &str) -> Option<String> {
    let input = input.replace("\r\n", "\n");
    let (_, body) = input.split_once("\n\n")?;
    let body = body.trim();
    serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(body)
        .is_ok()
        .then(|| body.to_owned())
}
