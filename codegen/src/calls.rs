//! A user's crate that calls every action of a service version once: the caller side of
//! `scripts/build-cost.sh`, which measures what a user compiles for the actions they call.
//!
//! Each action gets an `async fn` that builds its request from placeholder values of the
//! required fields (`""`, `0`, `false`, empty lists, and nested requests built the same
//! way), sends it and keeps whether it succeeded; `call_every_action` awaits them all in turn,
//! and `spawnable` boxes that as a `Send` future, as a program that spawns it would, so
//! the compiler has to build every call's code in the user's crate. Never part of a client.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::ident;
use crate::model::{Service, Struct, Ty};

/// How deep nested required structs are built before an action is left out (a required
/// field cannot close a cycle in a sent struct, but the limit keeps that an assumption).
const DEPTH: usize = 16;

/// The module's source: the calls of `service` through the crate path `sdk` (such as
/// `tencentcloud_sdk_cvm` or `tencentcloud_sdk::cvm`). Also returns how many actions it
/// calls: those with a plain method (always-streaming ones have only `_stream`).
pub fn module(service: &Service, sdk: &syn::Path) -> (TokenStream, usize) {
    let structs: BTreeMap<&str, &Struct> = service
        .structs
        .iter()
        .map(|s| (s.name.as_str(), s))
        .collect();
    let version = ident(&service.module);
    let api = quote!(#sdk::#version);
    let mut functions = Vec::new();
    let mut calls = Vec::new();
    for action in &service.actions {
        if !action.stream.has_plain_method() {
            continue;
        }
        let Some(request) = build(&structs, &action.request, &api, 0) else {
            continue;
        };
        let method = ident(&action.method);
        let function = quote::format_ident!("call_{}", action.method.trim_start_matches("r#"));
        functions.push(quote! {
            async fn #function(client: &#api::Client) -> bool {
                client.#method(#request).await.is_ok()
            }
        });
        calls.push(quote!(ok += usize::from(#function(client).await);));
    }
    let count = calls.len();
    let tokens = quote! {
        //! Calls every action of one service version once (scripts/build-cost.sh).
        #![allow(deprecated)]

        #(#functions)*

        /// Calls each action once; how many succeeded.
        pub async fn call_every_action(client: &#api::Client) -> usize {
            let mut ok = 0usize;
            #(#calls)*
            ok
        }

        /// [`call_every_action`] as a future to spawn.
        pub fn spawnable(
            client: #api::Client,
        ) -> ::std::pin::Pin<::std::boxed::Box<dyn ::core::future::Future<Output = usize> + ::core::marker::Send>> {
            ::std::boxed::Box::pin(async move { call_every_action(&client).await })
        }
    };
    (tokens, count)
}

/// A struct built with `new` from placeholder values of its required fields.
fn build(
    structs: &BTreeMap<&str, &Struct>,
    name: &str,
    api: &TokenStream,
    depth: usize,
) -> Option<TokenStream> {
    if depth > DEPTH {
        return None;
    }
    let s = structs.get(name)?;
    let ty = ident(name);
    let args = s
        .fields
        .iter()
        .filter(|f| !f.optional)
        .map(|f| value(structs, &f.ty, api, depth))
        .collect::<Option<Vec<_>>>()?;
    Some(quote!(#api::#ty::new(#(#args),*)))
}

/// A placeholder value of a type, as `new` takes it.
fn value(
    structs: &BTreeMap<&str, &Struct>,
    ty: &Ty,
    api: &TokenStream,
    depth: usize,
) -> Option<TokenStream> {
    Some(match ty {
        Ty::String => quote!(""),
        Ty::I64 | Ty::U64 => quote!(0),
        Ty::F64 => quote!(0.0),
        Ty::Bool => quote!(false),
        Ty::Binary => quote!(::std::vec::Vec::<u8>::new()),
        Ty::List(_) => quote!(::std::vec::Vec::new()),
        Ty::Named(name) => build(structs, name, api, depth + 1)?,
        Ty::Boxed(name) => {
            let inner = build(structs, name, api, depth + 1)?;
            quote!(::std::boxed::Box::new(#inner))
        }
    })
}
