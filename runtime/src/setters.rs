//! The `with_` setters of generated types, written by one macro: a generated module names
//! each setter, its field, the field's wire name and how the value is stored, in one line,
//! instead of spelling out the same five-line method thousands of times (a third of a
//! service's generated code, which the generator would format and the compiler parse).

/// Implements `with_` setters on a generated type, each documented as setting its wire
/// name: `setters!(Type { with_x x "X" some(u64); with_y y "Y" some_into(String); })`.
/// Each is `#[inline]`, so a service's crate compiles only the setters its users call (as
/// the built-in derives are), not a thousand it does not.
///
/// How each value is stored:
/// - `some(T)`: takes a `T`, stores `Some(value)` (an optional field);
/// - `some_into(T)`: takes `impl Into<T>`, stores `Some(value.into())`;
/// - `set(T)`: takes a `T`, stores it (a field every response has);
/// - `set_into(T)`: takes `impl Into<T>`, stores `value.into()`.
#[macro_export]
macro_rules! setters {
    ($type:ident { $($setter:ident $field:ident $wire:literal $how:ident ($value:ty);)* }) => {
        impl $type {
            $($crate::setters!(@one $setter $field $wire $how ($value));)*
        }
    };
    (@one $setter:ident $field:ident $wire:literal some ($value:ty)) => {
        #[doc = ::core::concat!("Sets `", $wire, "`.")]
        #[must_use]
        #[inline]
        pub fn $setter(mut self, value: $value) -> Self {
            self.$field = ::core::option::Option::Some(value);
            self
        }
    };
    (@one $setter:ident $field:ident $wire:literal some_into ($value:ty)) => {
        #[doc = ::core::concat!("Sets `", $wire, "`.")]
        #[must_use]
        #[inline]
        pub fn $setter(mut self, value: impl ::core::convert::Into<$value>) -> Self {
            self.$field = ::core::option::Option::Some(value.into());
            self
        }
    };
    (@one $setter:ident $field:ident $wire:literal set ($value:ty)) => {
        #[doc = ::core::concat!("Sets `", $wire, "`.")]
        #[must_use]
        #[inline]
        pub fn $setter(mut self, value: $value) -> Self {
            self.$field = value;
            self
        }
    };
    (@one $setter:ident $field:ident $wire:literal set_into ($value:ty)) => {
        #[doc = ::core::concat!("Sets `", $wire, "`.")]
        #[must_use]
        #[inline]
        pub fn $setter(mut self, value: impl ::core::convert::Into<$value>) -> Self {
            self.$field = value.into();
            self
        }
    };
}

#[cfg(test)]
mod tests {
    #[derive(Debug, Default, PartialEq)]
    struct Thing {
        count: Option<u64>,
        name: Option<String>,
        id: String,
        size: u32,
    }

    crate::setters!(Thing {
        with_count count "Count" some(u64);
        with_name name "Name" some_into(String);
        with_id id "Id" set_into(String);
        with_size size "Size" set(u32);
    });

    #[test]
    fn each_kind_stores_its_value() {
        let thing = Thing::default()
            .with_count(3)
            .with_name("n")
            .with_id("i")
            .with_size(7);
        assert_eq!(
            thing,
            Thing {
                count: Some(3),
                name: Some("n".to_owned()),
                id: "i".to_owned(),
                size: 7,
            }
        );
    }
}
