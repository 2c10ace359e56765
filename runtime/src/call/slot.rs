//! A typed value handed through code that is not generic, to the one place that reads its
//! type: a whole call's output decoded in the call's work, or a mock's queued response.
//!
//! The value is boxed as a [`Put`], which knows its own type; the reader has a slot of the
//! type it reads (an `Option<T>`, seen as `dyn Any`) and asks the value to put itself there.
//! Only [`Put::put`] is compiled per type, where the value is made, and the reader's own
//! generic code is an `Option` and a match (docs/benchmarks.md, "The call path compiled once
//! per action, smaller").

use std::any::Any;

/// A value that puts itself into a slot of its type.
pub(crate) trait Put: Send {
    /// Puts the value into `slot` if `slot` is an empty `Option` of its type: whether it did.
    fn put(self: Box<Self>, slot: &mut dyn Any) -> bool;
}

impl<T: Send + 'static> Put for T {
    fn put(self: Box<Self>, slot: &mut dyn Any) -> bool {
        match slot.downcast_mut::<Option<T>>() {
            // Only an empty slot is filled: there is nothing in it to drop first.
            Some(slot @ None) => {
                *slot = Some(*self);
                true
            }
            _ => false,
        }
    }
}

/// A boxed value of a type known where it was boxed.
pub(crate) type Boxed = Box<dyn Put>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_fills_a_slot_of_its_type_and_no_other() {
        let mut right: Option<String> = None;
        assert!((Box::new("answer".to_owned()) as Boxed).put(&mut right));
        assert_eq!(right.as_deref(), Some("answer"));

        // A full slot keeps what it holds.
        let mut full = Some("first".to_owned());
        assert!(!(Box::new("second".to_owned()) as Boxed).put(&mut full));
        assert_eq!(full.as_deref(), Some("first"));

        let mut wrong: Option<u32> = None;
        assert!(!(Box::new("answer".to_owned()) as Boxed).put(&mut wrong));
        assert_eq!(wrong, None);
        // A slot that is not an `Option` of the type is not one either.
        let mut bare = String::new();
        assert!(!(Box::new("answer".to_owned()) as Boxed).put(&mut bare));
        assert!(bare.is_empty());
    }
}
