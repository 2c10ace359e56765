//! Every std and dependency item the generated code names, by full path, in one place: a
//! spec type called `Option`, `Result`, `Box` or `String` can then never shadow them.

use proc_macro2::TokenStream;
use quote::quote;

pub fn option() -> TokenStream {
    quote!(::core::option::Option)
}
pub fn result() -> TokenStream {
    quote!(::core::result::Result)
}
pub fn string() -> TokenStream {
    quote!(::std::string::String)
}
pub fn vec() -> TokenStream {
    quote!(::std::vec::Vec)
}
pub fn boxed() -> TokenStream {
    quote!(::std::boxed::Box)
}
pub fn into() -> TokenStream {
    quote!(::core::convert::Into)
}
pub fn default() -> TokenStream {
    quote!(::core::default::Default)
}
pub fn serialize() -> TokenStream {
    quote!(::serde::Serialize)
}
/// Derives shared by every generated struct and enum.
pub fn derives() -> TokenStream {
    quote!(
        ::core::fmt::Debug,
        ::core::clone::Clone,
        ::core::cmp::PartialEq
    )
}
/// A file's bytes in a request (`binary` members).
pub fn binary() -> TokenStream {
    quote!(::tencentcloud_runtime::Binary)
}
pub fn runtime() -> TokenStream {
    quote!(::tencentcloud_runtime)
}
