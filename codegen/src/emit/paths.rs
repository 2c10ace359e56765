//! Every std and dependency item the generated code names, in one place. The prelude's
//! types are named as a reader writes them (`Option<String>`), unless the service has a type
//! of the same name (ess has an `Option`, scf a `Result`, tiia a `Box`): then that one is
//! named by its full path, which nothing can shadow.

use proc_macro2::TokenStream;
use quote::quote;

/// How one service version's file names the prelude's types.
#[derive(Debug, Clone)]
pub struct Paths {
    option: TokenStream,
    result: TokenStream,
    string: TokenStream,
    vec: TokenStream,
    boxed: TokenStream,
    into: TokenStream,
}

impl Paths {
    /// The names for a file whose own types `taken` tells. (`conversion` is `Into`.)
    pub fn new(taken: impl Fn(&str) -> bool) -> Self {
        let pick = |short: &str, full: TokenStream| {
            if taken(short) {
                full
            } else {
                let short = proc_macro2::Ident::new(short, proc_macro2::Span::call_site());
                quote!(#short)
            }
        };
        Self {
            option: pick("Option", quote!(::core::option::Option)),
            result: pick("Result", quote!(::core::result::Result)),
            string: pick("String", quote!(::std::string::String)),
            vec: pick("Vec", quote!(::std::vec::Vec)),
            boxed: pick("Box", quote!(::std::boxed::Box)),
            into: pick("Into", quote!(::core::convert::Into)),
        }
    }
    pub fn option(&self) -> TokenStream {
        self.option.clone()
    }
    pub fn result(&self) -> TokenStream {
        self.result.clone()
    }
    pub fn string(&self) -> TokenStream {
        self.string.clone()
    }
    pub fn vec(&self) -> TokenStream {
        self.vec.clone()
    }
    pub fn boxed(&self) -> TokenStream {
        self.boxed.clone()
    }
    pub fn conversion(&self) -> TokenStream {
        self.into.clone()
    }
}

/// Derive macros live in their own namespace, where no type shadows them.
pub fn default() -> TokenStream {
    quote!(Default)
}
pub fn serialize() -> TokenStream {
    quote!(::serde::Serialize)
}
/// Derives shared by every generated struct and enum.
pub fn derives() -> TokenStream {
    quote!(Debug, Clone, PartialEq)
}
/// A file's bytes in a request (`binary` members).
pub fn binary() -> TokenStream {
    quote!(::tencentcloud_runtime::Binary)
}
pub fn runtime() -> TokenStream {
    quote!(::tencentcloud_runtime)
}
