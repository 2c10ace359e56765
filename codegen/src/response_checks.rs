//! The example responses of the specs as a check of the generated types: a module, beside the
//! services in the module tree, whose `run` reads each example response that is JSON into its
//! action's response type through the runtime's decoding policy (`decode::response`), and
//! reports how many there were and which failed, with the action and the field.
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
        for action in &service.actions {
            for example in &action.examples {
                if serde_json::from_str::<serde::de::IgnoredAny>(&example.output).is_err() {
                    not_json += 1;
                    continue;
                }
                let response = crate::emit::ident(&action.response);
                let (wire, title, output) = (&action.wire, &example.title, &example.output);
                checks.push(quote! {
                    report.check::<#module::#response>(#wire, #title, #output);
                });
            }
        }
        let gate = gated.then(|| quote!(#[cfg(feature = #name)]));
        // A service version without a JSON example checks nothing, so it names no types.
        let types = (!checks.is_empty()).then(|| quote!(use super::#krate::#module;));
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
            current: (&'static str, &'static str),
        }

        impl Report {
            fn service(&mut self, name: &'static str, version: &'static str, not_json: usize) {
                self.current = (name, version);
                self.not_json += not_json;
            }

            #[allow(dead_code)] // when no enabled service has a JSON example
            fn check<T: ::tencentcloud_runtime::decode::Decode>(
                &mut self,
                action: &str,
                title: &str,
                answer: &str,
            ) {
                self.examples += 1;
                match ::tencentcloud_runtime::decode::response::<T>(answer.as_bytes()) {
                    ::core::result::Result::Ok(decoded) => {
                        self.corrections += decoded.corrections.len();
                    }
                    ::core::result::Result::Err(error) => {
                        let (name, version) = self.current;
                        self.failures
                            .push(::std::format!("{name} {version} {action} ({title}): {error}"));
                    }
                }
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
