//! Stage 4, emit: the model as tokens, with `quote!`. Every decision was made in the model;
//! this only spells it out. Std and dependency items come from the `paths` table.

pub mod docs;
pub mod markdown;
mod paths;

pub use docs::Docs;
use paths::Paths;

use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::{format_ident, quote};

use crate::model::names::unraw;
use crate::model::paging::Kind;
use crate::model::{Action, Body, Field, Paging, Region, Service, Status, Streaming, Struct, Ty};

/// What emitting one file shares: where its documents go, and how it names std items.
struct Context<'a> {
    docs: &'a Docs,
    paths: Paths,
    serde: Switch,
    /// How sent types derive `serde::Serialize`: as `serde` says, or always in a service
    /// with an upload (a multipart or octet-stream body is encoded through `Serialize`).
    serialize: Switch,
}

/// Whether an optional part of the generated code is there: not at all, always, or behind
/// a cargo feature of the crate it is compiled in (a packaged service crate's `blocking` and
/// `serde` features; a build script turns its crate's features into `On` or `Off`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Switch {
    /// Not there.
    #[default]
    Off,
    /// Always there.
    On,
    /// Behind `#[cfg(feature = "..")]`.
    Feature,
}

/// The optional parts of a service module.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Options {
    /// The `blocking` module, its client's methods without `async`.
    pub blocking: Switch,
    /// `serde::Serialize` on every received and sent type and `serde::Deserialize` on every sent one,
    /// in the wire form.
    pub serde: Switch,
}

impl Switch {
    /// `attrs` as they apply under this switch: nothing, as they are, or each behind the
    /// `feature` (`#[cfg_attr(feature = "serde", ..)]`).
    fn attrs(self, feature: &str, attrs: &[TokenStream]) -> TokenStream {
        match self {
            Switch::Off => TokenStream::new(),
            Switch::On => quote!(#(#[#attrs])*),
            Switch::Feature => quote!(#[cfg_attr(feature = #feature, #(#attrs),*)]),
        }
    }

    /// `#[cfg(feature = ..)]` for an item that is there under this switch (`None` when it
    /// is always there); not to be called when `Off`.
    fn gate(self, feature: &str) -> Option<TokenStream> {
        (self == Switch::Feature).then(|| quote!(#[cfg(feature = #feature)]))
    }
}

/// The tokens of one service version's module; the documents drawn from its spec go into
/// `docs`, to be attached once the tokens are formatted.
pub fn service(service: &Service, options: Options, docs: &Docs) -> TokenStream {
    let taken = |name: &str| {
        service.structs.iter().any(|s| s.name == name)
            || service
                .actions
                .iter()
                .any(|a| a.error == name || a.future == name)
    };
    let cx = &Context {
        docs,
        paths: Paths::new(taken),
        serde: options.serde,
        serialize: if service.structs.iter().any(|s| s.is_upload) {
            Switch::On
        } else {
            options.serde
        },
    };
    // Each action's parts together, in action order (its statics, request, response, error
    // enum, future), so that reading or jumping to one shows all of it; then the structs
    // that belong to no one action. The methods stay in one `impl Client`, so rustdoc's
    // page of the client is one list.
    let mut placed = std::collections::BTreeSet::new();
    let actions: Vec<TokenStream> = service
        .actions
        .iter()
        .map(|a| {
            let own = service.structs.iter().filter(|s| {
                (s.name == a.request || s.name == a.response) && placed.insert(s.name.as_str())
            });
            let own: Vec<TokenStream> = own.map(|s| strukt(s, cx)).collect();
            let statics = statics(a);
            let error = error_enum(a, cx);
            let future = future(a, cx);
            let operation = a.owns_request.then(|| operation(a));
            quote! {
                #statics
                #(#own)*
                #error
                #future
                #operation
            }
        })
        .collect();
    let shared = service
        .structs
        .iter()
        .filter(|s| !placed.contains(s.name.as_str()))
        .map(|s| strukt(s, cx));
    let client = client(service, cx);
    let blocking = (options.blocking != Switch::Off).then(|| {
        let gate = options.blocking.gate("blocking");
        let module = blocking_client(service, cx);
        quote!(#gate #module)
    });
    quote! {
        #client
        #blocking
        #(#actions)*
        #(#shared)*
    }
}

/// What ties an action's request type to the action, for test doubles keyed by type
/// (`Mock::respond_to::<DescribeInstancesRequest>(..)`).
fn operation(action: &Action) -> TokenStream {
    let runtime = paths::runtime();
    let (request, response, error) = (
        ident(&action.request),
        ident(&action.response),
        ident(&action.error),
    );
    let wire = &action.wire;
    quote! {
        impl #runtime::Operation for #request {
            const ACTION: &'static str = #wire;
            type Response = #response;
            type Error = #error;
        }
    }
}

/// The future an action's method returns: its own type, so that the `poll` a caller's
/// `.await` runs is compiled here, once, and not again in each crate that calls it
/// (docs/benchmarks.md, "What users compile"). `None` for an action that only streams.
fn future(action: &Action, cx: &Context) -> Option<TokenStream> {
    if !action.stream.has_plain_method() {
        return None;
    }
    let runtime = paths::runtime();
    let result = cx.paths.result();
    let (name, response, error) = (
        ident(&action.future),
        ident(&action.response),
        ident(&action.error),
    );
    let method = action.method.trim_start_matches("r#");
    let doc = format!(" The future of [`Client::{method}`]: `.await` it for the [`{}`], or the call's [`tencentcloud_runtime::Error`], whose service codes are [`{}`]. `'static` and `Send`, so it can be spawned.", action.response, action.error);
    Some(quote! {
        #[doc = #doc]
        #[must_use = "a call does nothing until it is awaited"]
        #[derive(::core::fmt::Debug)]
        pub struct #name(#runtime::Pending<#response, #error>);
        impl ::core::future::Future for #name {
            type Output = #result<#response, #runtime::Error<#error>>;
            fn poll(mut self: ::core::pin::Pin<&mut Self>, cx: &mut ::core::task::Context<'_>) -> ::core::task::Poll<Self::Output> {
                ::core::future::Future::poll(::core::pin::Pin::new(&mut self.0), cx)
            }
        }
    })
}

/// An identifier from its source text, raw (`r#type`) where the model escaped it.
pub(crate) fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

fn ty(t: &Ty, cx: &Context) -> TokenStream {
    match t {
        Ty::String => cx.paths.string(),
        Ty::I64 | Ty::U64 | Ty::F64 | Ty::Bool => {
            let name = Ident::new(&t.to_string(), Span::call_site());
            quote!(#name)
        }
        Ty::Binary => paths::binary(),
        Ty::Named(name) => {
            let name = ident(name);
            quote!(#name)
        }
        Ty::Boxed(name) => {
            let (boxed, name) = (cx.paths.boxed(), ident(name));
            quote!(#boxed<#name>)
        }
        Ty::List(inner) => {
            let (vec, inner) = (cx.paths.vec(), ty(inner, cx));
            quote!(#vec<#inner>)
        }
    }
}

/// A type as a child module (the blocking client's) names it: generated structs through
/// `super::`.
fn parent_ty(t: &Ty, cx: &Context) -> TokenStream {
    match t {
        Ty::Named(name) => {
            let name = ident(name);
            quote!(super::#name)
        }
        Ty::Boxed(name) => {
            let (boxed, name) = (cx.paths.boxed(), ident(name));
            quote!(#boxed<super::#name>)
        }
        Ty::List(inner) => {
            let (vec, inner) = (cx.paths.vec(), parent_ty(inner, cx));
            quote!(#vec<#inner>)
        }
        other => ty(other, cx),
    }
}

fn field_type(field: &Field, cx: &Context) -> TokenStream {
    let inner = ty(&field.ty, cx);
    if field.optional {
        let option = cx.paths.option();
        quote!(#option<#inner>)
    } else {
        inner
    }
}

fn strukt(s: &Struct, cx: &Context) -> TokenStream {
    let name = ident(&s.name);
    let doc = cx.docs.text(&s.document, &format!("`{}`.", s.name));
    let mut derives = vec![paths::derives()];
    // A request whose `new()` takes nothing: `Default` is the same request (and clippy asks
    // for it). Anything received: the empty value to build a response from, in a test.
    if s.received || (s.sent && s.fields.iter().all(|f| f.optional)) {
        derives.push(paths::default());
    }
    if s.sent && cx.serialize == Switch::On {
        derives.push(paths::serialize());
    }
    let fields = s.fields.iter().map(|f| {
        let fname = ident(&f.name);
        let fty = field_type(f, cx);
        let wire = &f.wire;
        let mut lines = docs::lines_or(&f.document, &format!("`{}`.", f.wire));
        if let Some(note) = docs::listed(f.only) {
            lines.push(String::new());
            lines.push(format!(" {note}"));
        }
        let doc = cx.docs.lines(lines);
        // Sent: the struct's `rename_all` gives the wire name unless it differs; there only
        // where serde's derives are.
        let serde = s.sent.then(|| {
            let rename = (pascal(unraw(&f.name)) != *wire).then(|| quote!(rename = #wire));
            let skip = f
                .optional
                .then(|| quote!(skip_serializing_if = "::core::option::Option::is_none"));
            let args: Vec<TokenStream> = rename.into_iter().chain(skip).collect();
            (!args.is_empty()).then(|| cx.serialize.attrs("serde", &[quote!(serde(#(#args),*))]))
        });
        quote! {
            #doc
            #serde
            pub #fname: #fty,
        }
    });
    let decode = s.received.then(|| decode(s, cx));
    let write = s.sent.then(|| write_json(s));
    // Sent: with serde (or in a service with uploads), serialised by serde in the same wire
    // form as `WriteJson` writes; with serde, read back strictly.
    let sent_serde = s.sent.then(|| {
        let mut attrs = Vec::new();
        if cx.serialize == Switch::Feature {
            attrs.push(quote!(derive(::serde::Serialize)));
        }
        if cx.serde != Switch::Off {
            attrs.push(quote!(derive(::serde::Deserialize)));
        }
        attrs.push(quote!(serde(rename_all = "PascalCase")));
        if cx.serde != Switch::Off {
            attrs.push(quote!(serde(deny_unknown_fields)));
        }
        match (cx.serialize, cx.serde) {
            (Switch::Off, _) => TokenStream::new(),
            // Serialize always, Deserialize as the feature says.
            (Switch::On, Switch::Feature) => {
                let read = cx.serde.attrs(
                    "serde",
                    &[
                        quote!(derive(::serde::Deserialize)),
                        quote!(serde(deny_unknown_fields)),
                    ],
                );
                quote!(#[serde(rename_all = "PascalCase")] #read)
            }
            (switch, _) => switch.attrs("serde", &attrs),
        }
    });
    let constructor = if s.sent {
        Some(constructor(s, cx))
    } else {
        setters(s, cx)
    };
    quote! {
        #doc
        #[derive(#(#derives),*)]
        #sent_serde
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
        }
        #constructor
        #decode
        #write
    }
}

/// How a sent struct is written as JSON: each field under its wire name, in order, an
/// absent `Option` left out, through the runtime's `JsonWriter` (compiled once, in the
/// runtime), the bytes serde's derive wrote (docs/benchmarks.md, "The SDK package's build").
fn write_json(s: &Struct) -> TokenStream {
    let name = ident(&s.name);
    let runtime = paths::runtime();
    let fields = s.fields.iter().map(|f| {
        let (fname, wire) = (ident(&f.name), &f.wire);
        if f.optional {
            quote!(out.optional(#wire, &self.#fname);)
        } else {
            quote!(out.field(#wire, &self.#fname);)
        }
    });
    quote! {
        impl #runtime::body::WriteJson for #name {
            fn write_json(&self, out: &mut #runtime::body::JsonWriter) {
                out.begin_object();
                #(#fields)*
                out.end_object();
            }
        }
    }
}

/// How a received struct is read: each field by its wire name, through the runtime's
/// `impl_decode!`, so the decoding policy is compiled once, in the runtime.
///
/// With serde, a received struct that is not also sent (a sent one derives `Serialize`)
/// is serialised in the same wire form, by the same macro.
fn decode(s: &Struct, cx: &Context) -> TokenStream {
    let name = ident(&s.name);
    let runtime = paths::runtime();
    let fields = s.fields.iter().map(|f| {
        let (fname, wire) = (ident(&f.name), &f.wire);
        quote!(#fname: #wire)
    });
    let serialize = (!s.sent && cx.serde != Switch::Off).then(|| {
        let gate = cx.serde.gate("serde");
        quote!(#gate serialize)
    });
    quote!(#runtime::impl_decode!(#name { #(#fields),* } #serialize);)
}

/// What serde's `rename_all = "PascalCase"` makes of a field's name: each `_`-separated
/// part with its first letter capitalised.
fn pascal(name: &str) -> String {
    name.split('_')
        .map(|part| {
            let mut chars = part.chars();
            chars.next().map_or(String::new(), |first| {
                first.to_ascii_uppercase().to_string() + chars.as_str()
            })
        })
        .collect()
}

/// `new` with the required fields in spec order, and a `with_` setter per optional field.
fn constructor(s: &Struct, cx: &Context) -> TokenStream {
    let name = ident(&s.name);
    let into = cx.paths.conversion();
    let string = cx.paths.string();
    let required: Vec<&Field> = s.fields.iter().filter(|f| !f.optional).collect();
    let params = required.iter().map(|f| {
        let fname = ident(&f.name);
        if let Some(target) = converted(&f.ty, cx) {
            quote!(#fname: impl #into<#target>)
        } else {
            let fty = field_type(f, cx);
            quote!(#fname: #fty)
        }
    });
    let inits = s.fields.iter().map(|f| {
        let fname = ident(&f.name);
        if f.optional {
            let option = cx.paths.option();
            quote!(#fname: #option::None)
        } else if converted(&f.ty, cx).is_some() {
            quote!(#fname: #fname.into())
        } else {
            quote!(#fname)
        }
    });
    let setters = setters(s, cx);
    let new_doc = if required.is_empty() {
        " With no field set.".to_owned()
    } else {
        let list: Vec<String> = required.iter().map(|f| format!("`{}`", f.wire)).collect();
        format!(" With the required fields: {}.", list.join(", "))
    };
    let many = (required.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    let runtime = paths::runtime();
    let token = s.client_token.as_ref().map(|field| {
        let fname = ident(field);
        let option = cx.paths.option();
        quote! {
            fn client_token(&mut self) -> #option<&mut #option<#string>> {
                #option::Some(&mut self.#fname)
            }
        }
    });
    let body = s.is_upload.then(|| {
        let result = cx.paths.result();
        quote! {
            fn body(&self, kind: #runtime::body::BodyKind) -> #result<#runtime::body::Encoded, #runtime::body::EncodeError> {
                #runtime::body::encode(kind, self)
            }
        }
    });
    let token_impl = s
        .is_request
        .then(|| quote!(impl #runtime::Request for #name { #token #body }));
    quote! {
        impl #name {
            #[doc = #new_doc]
            #many
            pub fn new(#(#params),*) -> Self {
                Self { #(#inits),* }
            }
        }
        #setters
        #token_impl
    }
}

/// A `with_` setter per optional field of a request (its required ones are `new`'s), and per
/// field of anything received, so a response can be built (in a test, say): one line each,
/// in one call of the runtime's `setters!`, which writes the methods.
fn setters(s: &Struct, cx: &Context) -> Option<TokenStream> {
    let lines: Vec<TokenStream> = s
        .fields
        .iter()
        .filter(|f| f.optional || s.received)
        .map(|f| {
            let fname = ident(&f.name);
            let setter = ident(&f.setter);
            let wire = &f.wire;
            let (how, value) = match (converted(&f.ty, cx), f.optional) {
                (Some(target), true) => (quote!(some_into), target),
                (Some(target), false) => (quote!(set_into), target),
                (None, true) => (quote!(some), ty(&f.ty, cx)),
                (None, false) => (quote!(set), ty(&f.ty, cx)),
            };
            quote!(#setter #fname #wire #how(#value);)
        })
        .collect();
    if lines.is_empty() {
        return None;
    }
    let name = ident(&s.name);
    let runtime = paths::runtime();
    Some(quote!(#runtime::setters!(#name { #(#lines)* });))
}

/// The type a `new` argument or setter converts into, for the types taken as
/// `impl Into<..>` (text, and a file's bytes from a `Vec<u8>` or a `&'static [u8]`).
fn converted(t: &Ty, cx: &Context) -> Option<TokenStream> {
    match t {
        Ty::String => Some(cx.paths.string()),
        Ty::Binary => Some(paths::binary()),
        _ => None,
    }
}

/// `#[deprecated]` for a deprecated or offline action's methods.
fn deprecation(status: Status) -> Option<TokenStream> {
    match status {
        Status::Online => None,
        Status::Deprecated => Some(quote!(#[deprecated(note = "deprecated by Tencent Cloud")])),
        Status::Offline => Some(
            quote!(#[deprecated(note = "taken offline by Tencent Cloud: the service may answer ActionOffline")]),
        ),
    }
}

fn error_enum(action: &Action, cx: &Context) -> TokenStream {
    let name = ident(&action.error);
    let runtime = paths::runtime();
    let option = cx.paths.option();
    let doc = format!(" The error codes of `{}`: its documented codes, and `Common` for the codes every action can return and for codes not known yet.", action.wire);
    let variants = action.errors.iter().map(|e| {
        let v = ident(&e.variant);
        let doc = cx
            .docs
            .lines(docs::lines(&format!("`{}`: {}", e.code, e.description)));
        quote!(#doc #v,)
    });
    let common = quote!(<#runtime::CommonErrorCode as #runtime::ErrorCode>);
    // Without documented codes the enum is `Common` alone. With them, a table of the codes,
    // searched by the runtime (compiled once, not once per enum), gives a code's index, and
    // a match on the index its variant; a match on the variant gives its index back: two
    // integer matches, where a search of a table of (code, variant) pairs compiled a search
    // per enum and direction (docs/benchmarks.md, "The SDK package's build").
    let (table, from_body, code_body) = if action.errors.is_empty() {
        (
            None,
            quote!(Self::Common(#common::from_code(code))),
            quote!(let Self::Common(common) = self; #runtime::ErrorCode::code(common)),
        )
    } else {
        let codes = action.errors.iter().map(|e| &e.code);
        let from_arms = action.errors.iter().enumerate().map(|(index, e)| {
            let (v, index) = (ident(&e.variant), Literal::usize_unsuffixed(index));
            quote!(#option::Some(#index) => Self::#v,)
        });
        let code_arms = action.errors.iter().enumerate().map(|(index, e)| {
            let (v, index) = (ident(&e.variant), Literal::usize_unsuffixed(index));
            quote!(Self::#v => #index,)
        });
        (
            Some(quote! {
                impl #name {
                    /// Each documented code, in the order of the variants.
                    const CODES: &'static [&'static str] = &[#(#codes),*];
                }
            }),
            quote! {
                match #runtime::error::code_index(Self::CODES, code) {
                    #(#from_arms)*
                    _ => Self::Common(#common::from_code(code)),
                }
            },
            quote! {
                Self::CODES[match self {
                    #(#code_arms)*
                    Self::Common(common) => return #runtime::ErrorCode::code(common),
                }]
            },
        )
    };
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// A common code (`InternalError`, `RequestLimitExceeded`, ...), or one the spec does not list, kept as sent.
            Common(#runtime::CommonErrorCode),
        }
        #table
        impl #runtime::ErrorCode for #name {
            fn from_code(code: &str) -> Self {
                #from_body
            }
            fn code(&self) -> &str {
                #code_body
            }
        }
    }
}

/// An action's `static`s: its `Action` (what the runtime needs to send it) and, for a
/// paged one, its `Paging`.
fn statics(a: &Action) -> TokenStream {
    let runtime = paths::runtime();
    let c = format_ident!("{}", a.constant);
    let wire = &a.wire;
    let mut built = quote!(#runtime::Action::new(#wire));
    if a.idempotent {
        built = quote!(#built.idempotent());
    }
    match a.region {
        Region::Required => built = quote!(#built.region(#runtime::RegionRule::Required)),
        Region::None => built = quote!(#built.region(#runtime::RegionRule::None)),
        Region::Optional => {}
    }
    if a.unsigned {
        built = quote!(#built.unsigned());
    }
    match &a.body {
        Body::Json => {}
        Body::Multipart => built = quote!(#built.body(#runtime::BodyKind::Multipart)),
        Body::OctetStream { body, headers } => {
            let pairs = headers
                .iter()
                .map(|(wire, header)| quote!((#wire, #header)));
            built = quote!(#built.body(#runtime::BodyKind::OctetStream { body: #body, headers: &[#(#pairs),*] }));
        }
    }
    if let Some(limit) = a.rate_limit {
        let limit = proc_macro2::Literal::u32_unsuffixed(limit);
        built = quote!(#built.rate_limit(#limit));
    }
    if !a.regions.is_empty() {
        let regions = &a.regions;
        built = quote!(#built.regions(&[#(#regions),*]));
    }
    let paging = a.paging.as_ref().map(|p| {
        let name = format_ident!("{}", p.constant);
        let mut built = match &p.kind {
            Kind::Offset { offset, limit } => quote!(#runtime::Paging::offset(#offset, #limit)),
            Kind::Page { number, size } => quote!(#runtime::Paging::page(#number, #size)),
            Kind::Cursor { input, output } => quote!(#runtime::Paging::cursor(#input, #output)),
        };
        if let Some(total) = &p.total {
            built = quote!(#built.total(#total));
        }
        if let Some(items) = &p.items {
            let wire = &items.wire;
            built = quote!(#built.items(#wire));
        }
        quote!(static #name: #runtime::Paging = #built;)
    });
    quote! {
        static #c: #runtime::Action = #built;
        #paging
    }
}

fn client(service: &Service, cx: &Context) -> TokenStream {
    let runtime = paths::runtime();
    let option = cx.paths.option();
    let (name, version, endpoint) = (&service.name, &service.version, &service.endpoint);
    let doc =
        format!(" A client for {name} {version}, by default at `{endpoint}`. Cheap to clone.");
    let methods = service.actions.iter().map(|a| {
        let method = ident(&a.method);
        let c = format_ident!("{}", a.constant);
        let (request, response, error) = (ident(&a.request), ident(&a.response), ident(&a.error));
        let doc = method_docs(a);
        let deprecated = deprecation(a.status);
        let future = ident(&a.future);
        let plain = a.stream.has_plain_method().then(|| {
            let doc = cx.docs.lines(doc.clone());
            quote! {
                #doc
                #deprecated
                pub fn #method(&self, request: #request) -> #future {
                    #future(self.runtime.call(&#c, request))
                }
            }
        });
        let stream = a.stream.method().map(|name| {
            let stream_method = ident(name);
            let events = quote!(#runtime::Pending<#runtime::EventStream<#response, #error>, #error>);
            let (doc, switch) = match &a.stream {
                Streaming::Optional { field, optional, .. } => {
                    let field = ident(field);
                    let on = if *optional { quote!(#option::Some(true)) } else { quote!(true) };
                    let doc = vec![
                        format!(" [`Client::{}`] with `Stream` set: the response's events, each handed over as it arrives.", a.method.trim_start_matches("r#")),
                        String::new(),
                        stream_facts(),
                    ];
                    (doc, Some(quote!(request.#field = #on;)))
                }
                _ => {
                    let mut doc = doc.clone();
                    doc.push(String::new());
                    doc.push(stream_facts());
                    (doc, None)
                }
            };
            let request_binding = if switch.is_some() { quote!(mut request) } else { quote!(request) };
            let doc = cx.docs.lines(doc);
            quote! {
                #doc
                #deprecated
                pub fn #stream_method(&self, #request_binding: #request) -> #events {
                    #switch
                    self.runtime.stream(&#c, request)
                }
            }
        });
        let pages = a.paging.as_ref().map(|p| paging_methods(a, p, cx));
        quote!(#plain #stream #pages)
    });
    let service_doc = format!(" {name} {version}: service name, API version and default endpoint.");
    let count = proc_macro2::Literal::usize_unsuffixed(service.actions.len());
    let table = service
        .actions
        .iter()
        .map(|a| format_ident!("{}", a.constant));
    quote! {
        #[doc = #service_doc]
        pub const SERVICE: #runtime::Service = #runtime::Service::new(#name, #version, #endpoint);
        /// Every action above, for calls by name (`Client::runtime().call_by_name`).
        static ACTIONS: [&#runtime::Action; #count] = [#(&#table),*];
        #[doc = #doc]
        #[derive(Debug, Clone)]
        pub struct Client {
            runtime: #runtime::Client,
        }
        impl Client {
            /// A client with `config`; share one `Config` between clients.
            pub fn new(config: #runtime::Config) -> Self {
                Self { runtime: #runtime::Client::with_actions(config, SERVICE, &ACTIONS) }
            }
            /// The same client with `options` (timeouts, region, endpoint, retry policy,
            /// headers) applied to each of its calls; cheap, and `self` is unchanged.
            pub fn with_options(&self, options: &#runtime::CallOptions) -> Self {
                Self { runtime: self.runtime.with_options(options) }
            }
            /// The runtime client underneath: for an action of this service that is not in
            /// its spec yet, [`tencentcloud_runtime::Client::call_by_name`].
            pub fn runtime(&self) -> &#runtime::Client {
                &self.runtime
            }
            #(#methods)*
        }
    }
}

/// The `blocking` module: a client whose methods run the async ones to completion on the
/// runtime's shared executor, so both share one code path.
fn blocking_client(service: &Service, cx: &Context) -> TokenStream {
    let runtime = paths::runtime();
    let result = cx.paths.result();
    let methods = service.actions.iter().map(|a| {
        let method = ident(&a.method);
        let (request, response, error) = (ident(&a.request), ident(&a.response), ident(&a.error));
        let doc = format!(" Blocking [`super::Client::{}`]: `{}`.", a.method.trim_start_matches("r#"), a.wire);
        let deprecated = deprecation(a.status).map(|attr| quote!(#attr #[allow(deprecated)]));
        let plain = a.stream.has_plain_method().then(|| quote! {
            #[doc = #doc]
            #deprecated
            pub fn #method(&self, request: super::#request) -> #result<super::#response, #runtime::Error<super::#error>> {
                #runtime::blocking::block_on(self.inner.#method(request))
            }
        });
        let stream = a.stream.method().map(|name| {
            let stream_method = ident(name);
            let doc = format!(" Blocking [`super::Client::{}`]: an iterator of the events of `{}`, each as it arrives.", name.trim_start_matches("r#"), a.wire);
            quote! {
                #[doc = #doc]
                #deprecated
                pub fn #stream_method(&self, request: super::#request) -> #result<#runtime::blocking::Events<super::#response, super::#error>, #runtime::Error<super::#error>> {
                    #runtime::blocking::block_on(self.inner.#stream_method(request)).map(#runtime::blocking::Events::new)
                }
            }
        });
        let paged = a.paging.as_ref().map(|p| {
            let pages = ident(&p.method);
            let doc = format!(" Blocking [`super::Client::{}`]: an iterator of the pages, each fetched when asked for.", p.method.trim_start_matches("r#"));
            let items = p.items.as_ref().map(|items| {
                let name = ident(&items.method);
                let element = parent_ty(&items.element, cx);
                let doc = format!(" Blocking [`super::Client::{}`]: an iterator of the items.", items.method.trim_start_matches("r#"));
                quote! {
                    #[doc = #doc]
                    #deprecated
                    pub fn #name(&self, request: super::#request) -> #runtime::blocking::Pages<#element, super::#error> {
                        #runtime::blocking::Iter::new(self.inner.#name(request))
                    }
                }
            });
            quote! {
                #[doc = #doc]
                #deprecated
                pub fn #pages(&self, request: super::#request) -> #runtime::blocking::Pages<super::#response, super::#error> {
                    #runtime::blocking::Iter::new(self.inner.#pages(request))
                }
                #items
            }
        });
        quote!(#plain #stream #paged)
    });
    quote! {
        /// The same client for programs without an async runtime: each method blocks the
        /// calling thread until the call ends. Do not call it from async code; it says so
        /// with an error instead of blocking an executor thread.
        pub mod blocking {
            /// A blocking client; cheap to clone.
            #[derive(Debug, Clone)]
            pub struct Client {
                inner: super::Client,
            }
            impl Client {
                /// A client with `config`; share one `Config` between clients.
                pub fn new(config: #runtime::Config) -> Self {
                    Self { inner: super::Client::new(config) }
                }
                /// The same client with `options` applied to each of its calls.
                pub fn with_options(&self, options: &#runtime::CallOptions) -> Self {
                    Self { inner: self.inner.with_options(options) }
                }
                /// The async client underneath.
                pub fn as_async(&self) -> &super::Client {
                    &self.inner
                }
                #(#methods)*
            }
        }
    }
}

/// A paged action's `_pages` method, and its `_items` method where its response has one list.
fn paging_methods(a: &Action, p: &Paging, cx: &Context) -> TokenStream {
    let runtime = paths::runtime();
    let (c, constant) = (
        format_ident!("{}", a.constant),
        format_ident!("{}", p.constant),
    );
    let (request, response, error) = (ident(&a.request), ident(&a.response), ident(&a.error));
    let (method, pages) = (a.method.trim_start_matches("r#"), ident(&p.method));
    let deprecated = deprecation(a.status);
    let how = match &p.kind {
        Kind::Offset { offset, limit } => {
            format!("advancing `{offset}` by each page's items (or `{limit}`)")
        }
        Kind::Page { number, .. } => format!("advancing `{number}` from the request's (or 1)"),
        Kind::Cursor { input, output } => {
            format!("sending each response's `{output}` as the next `{input}`")
        }
    };
    let ends = match (&p.kind, &p.total) {
        (Kind::Cursor { output, .. }, _) => format!("when `{output}` is absent, empty or repeated"),
        (_, Some(total)) => format!("at `{total}`, an empty page or a short one"),
        (_, None) => "at an empty page or a short one".to_owned(),
    };
    let pages_doc = format!(
        " The pages of [`Client::{method}`], one call each, {how}; the listing ends {ends}, and an error is its last item. Retries and the rate limit apply per page."
    );
    let items = p.items.as_ref().map(|items| {
        let name = ident(&items.method);
        let field = ident(&items.field);
        let element = ty(&items.element, cx);
        let vec = cx.paths.vec();
        let take = if items.optional {
            quote!(page.#field.unwrap_or_default())
        } else {
            quote!(page.#field)
        };
        let doc = format!(
            " Every `{}` item of [`Client::{}`]'s pages, one at a time.",
            items.wire,
            p.method.trim_start_matches("r#")
        );
        quote! {
            #[doc = #doc]
            #deprecated
            pub fn #name(&self, request: #request) -> #runtime::Paged<#element, #error> {
                fn items(page: #response) -> #vec<#element> {
                    #take
                }
                self.runtime.items(&#c, &#constant, request, items)
            }
        }
    });
    quote! {
        #[doc = #pages_doc]
        #deprecated
        pub fn #pages(&self, request: #request) -> #runtime::Paged<#response, #error> {
            self.runtime.pages(&#c, &#constant, request)
        }
        #items
    }
}

/// What every `_stream` method's documentation says of its events.
fn stream_facts() -> String {
    " Resolves once the stream has begun (or to the call's error, an error envelope included); each event is the response type, with the fields it lacks `None` and the response's `X-TC-RequestId` as its `request_id`. A broken connection, the idle timeout (`Config::stream_idle_timeout`) or an error event is the last item; nothing is retried once events flow.".to_owned()
}

/// The client method's documentation: what it does, its limits, examples and error codes.
fn method_docs(a: &Action) -> Vec<String> {
    let mut doc = docs::lines(&a.document);
    if doc.is_empty() {
        doc.push(format!(" Calls `{}`.", a.wire));
    }
    let mut facts = Vec::new();
    if let Some(note) = docs::listed(a.only) {
        facts.push(format!(" {note}"));
    }
    if let Some(limit) = a.rate_limit {
        facts.push(format!(
            " At most {limit} requests per second; the client waits rather than exceed it (see `RateLimits`)."
        ));
    }
    facts.push(match a.region {
        Region::Required => " Needs a region.".to_owned(),
        Region::None => " Takes no region: none is sent.".to_owned(),
        Region::Optional => " Sends the configured region, if any.".to_owned(),
    });
    if !a.regions.is_empty() {
        facts.push(format!(" Serves the regions {}.", a.regions.join(", ")));
    }
    if a.unsigned {
        facts.push(" Sent unsigned; needs no credential.".to_owned());
    }
    match &a.body {
        Body::Json => {}
        Body::Multipart => facts.push(
            " Sent as `multipart/form-data`: each file field is a part of its own, with its bytes as they are."
                .to_owned(),
        ),
        Body::OctetStream { body, headers } => {
            let headers: Vec<String> = headers
                .iter()
                .map(|(wire, header)| format!("`{wire}` as `{header}`"))
                .collect();
            let mut fact = format!(
                " Sent as `application/octet-stream`: the body is `{body}`'s bytes as they are"
            );
            if !headers.is_empty() {
                fact.push_str(&format!(", and the other fields travel in headers ({})", headers.join(", ")));
            }
            fact.push('.');
            facts.push(fact);
        }
    }
    if let Streaming::Optional { method, .. } = &a.stream {
        facts.push(format!(
            " Answers with an event stream when `Stream` is true: call [`Client::{}`] for its events.",
            method.trim_start_matches("r#")
        ));
    }
    if a.status == Status::Offline {
        facts.push(
            " Taken offline by Tencent Cloud (status `offline`): the service may answer `ActionOffline`."
                .to_owned(),
        );
    }
    doc.push(String::new());
    doc.push(facts.join(""));
    for example in &a.examples {
        doc.push(String::new());
        let title = if example.title.trim().is_empty() {
            "Example".to_owned()
        } else {
            docs::escape(example.title.trim())
        };
        doc.push(format!(" # {title}"));
        doc.push(String::new());
        doc.push(" Request:".to_owned());
        doc.push(String::new());
        doc.extend(docs::text_block(&example.input));
        doc.push(String::new());
        doc.push(" Response:".to_owned());
        doc.push(String::new());
        doc.extend(docs::text_block(&example.output));
    }
    if !a.errors.is_empty() || !a.common_errors.is_empty() {
        doc.push(String::new());
        doc.push(" # Errors".to_owned());
        doc.push(String::new());
        doc.push(format!(
            " Documented codes: the action's own as variants of [`{}`], the common ones \
             (marked `Common`) as its `Common(CommonErrorCode::..)`, as in every action:",
            a.error
        ));
        doc.push(String::new());
        let own = a.errors.iter().map(|e| (e, ""));
        let common = a.common_errors.iter().map(|e| (e, " (`Common`)"));
        for (e, mark) in own.chain(common) {
            doc.push(format!(
                " - `{}`{mark}: {}",
                e.code,
                docs::escape(e.description.trim())
            ));
        }
    }
    doc
}
