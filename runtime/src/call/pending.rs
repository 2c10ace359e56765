//! The future a call returns, in two halves: the call's work, which is not generic and so
//! compiles once, in this crate; and the reader that turns the work's [`Answer`] into the
//! action's types, chosen where the call starts (for a generated method, in the SDK's
//! crate, where it compiles once per action).
//!
//! A crate that awaits a [`Pending`] compiles its small `poll` and nothing else of the call:
//! the future drops through the work's one drop code whatever the action, where a boxed
//! `dyn Future` of the action's output would bring its own drop and poll glue into every
//! caller's crate, once per action (docs/benchmarks.md, "What users compile").

use std::any::Any;
use std::borrow::Cow;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use crate::call::action::Action;
use crate::call::response;
use crate::call::Client;
use crate::decode::{self, At, Decode, DecodeError};
use crate::error::{Error, ErrorKind, InvalidResponse};
use crate::transport::HttpResponse;

/// The future of a call: the typed response, or the typed error. `'static` and `Send`, so
/// it can be spawned; `.await` it.
#[must_use = "a call does nothing until it is awaited"]
pub struct Pending<T, E> {
    work: Work,
    read: fn(Answer) -> Result<T, Error<E>>,
}

/// A call's work: whatever the action, one type.
pub(crate) type Work = Pin<Box<dyn Future<Output = Answer> + Send>>;

/// What a call's work hands its reader.
pub(crate) enum Answer {
    /// The call failed before it had an answer to read.
    Failed(ErrorKind),
    /// A success envelope, and the call it answers (the log lines of its corrections name it).
    Envelope {
        response: HttpResponse,
        client: Client,
        action: Cow<'static, Action>,
    },
    /// The call's whole output, a `Result<T, Error<E>>` of the `Pending` it belongs to, made
    /// where the call started: an event stream, a mock's reply.
    Made(Box<dyn Any + Send>),
    /// A mock's queued response to `action`, of the type named `queued`: the `T` of a
    /// [`Pending::whole`] when the test queued the right one.
    Reply {
        reply: crate::mock::Fill,
        queued: &'static str,
        action: String,
    },
}

impl<T, E> Pending<T, E> {
    /// A call whose answer is one envelope (or a mock's reply), read as `T`.
    pub(crate) fn whole(work: Work) -> Self
    where
        T: Decode + Send + 'static,
        E: 'static,
    {
        Self {
            work,
            read: read_whole::<T, E>,
        }
    }

    /// A call whose output is made by `made` itself.
    pub(crate) fn made(made: impl Future<Output = Result<T, Error<E>>> + Send + 'static) -> Self
    where
        T: Send + 'static,
        E: 'static,
    {
        Self {
            work: Box::pin(async move {
                let output: Box<dyn Any + Send> = Box::new(made.await);
                Answer::Made(output)
            }),
            read: read_made::<T, E>,
        }
    }

    /// A call whose output is known now.
    pub(crate) fn ready(output: Result<T, Error<E>>) -> Self
    where
        T: Send + 'static,
        E: 'static,
    {
        Self::made(std::future::ready(output))
    }
}

impl<T, E> Future for Pending<T, E> {
    type Output = Result<T, Error<E>>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let read = self.read;
        self.work.as_mut().poll(cx).map(read)
    }
}

impl<T, E> fmt::Debug for Pending<T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pending").finish_non_exhaustive()
    }
}

/// The reader of [`Pending::whole`]: the output's slot handed to [`read_into`], which does
/// the reading once for every action; only the slot's three small methods are generic.
fn read_whole<T: Decode + Send + 'static, E: 'static>(answer: Answer) -> Result<T, Error<E>> {
    let mut output: Option<T> = None;
    read_into(answer, &mut output)?;
    match output {
        Some(output) => Ok(output),
        None => Err(unpaired(std::any::type_name::<T>())),
    }
}

/// Where a whole call's output goes: an `Option` of its type, filled by decoding the
/// response or by a mock's reply (which knows its own type: [`crate::mock::Fill`]).
trait Slot {
    /// Decodes the output at `at` into the slot.
    fn read(&mut self, at: At<'_>) -> Result<(), DecodeError>;
    /// The slot, for a mock's reply to fill.
    fn any(&mut self) -> &mut dyn Any;
    /// The output type's name, for errors.
    fn wanted(&self) -> &'static str;
}

impl<T: Decode + Send + 'static> Slot for Option<T> {
    fn read(&mut self, at: At<'_>) -> Result<(), DecodeError> {
        decode::into(self)(at)
    }

    fn any(&mut self) -> &mut dyn Any {
        self
    }

    fn wanted(&self) -> &'static str {
        std::any::type_name::<T>()
    }
}

/// A whole call's answer into `slot`: the envelope decoded, or the mock's reply taken; or
/// the call's error.
fn read_into(answer: Answer, slot: &mut dyn Slot) -> Result<(), ErrorKind> {
    match answer {
        Answer::Envelope {
            response,
            client,
            action,
        } => {
            let call = Some((client.service().name(), action.name()));
            let wanted = slot.wanted();
            response::typed_with(call, &response, wanted, &mut |at| slot.read(at))
                .map_err(ErrorKind::InvalidResponse)
        }
        Answer::Failed(kind) => Err(kind),
        Answer::Reply {
            reply,
            queued,
            action,
        } => {
            if reply(slot.any()) {
                Ok(())
            } else {
                Err(crate::mock::mistyped(&action, queued, slot.wanted()))
            }
        }
        Answer::Made(_) => Err(unpaired_kind(slot.wanted())),
    }
}

/// The reader of [`Pending::made`].
fn read_made<T: 'static, E: 'static>(answer: Answer) -> Result<T, Error<E>> {
    match answer {
        Answer::Failed(kind) => Err(kind.into()),
        Answer::Made(output) => match output.downcast::<Result<T, Error<E>>>() {
            Ok(output) => *output,
            Err(_) => Err(unpaired(std::any::type_name::<T>())),
        },
        Answer::Envelope { .. } | Answer::Reply { .. } => Err(unpaired(std::any::type_name::<T>())),
    }
}

/// An answer its reader cannot read. `Pending`'s constructors pair each work with the
/// reader of what it answers, so this does not happen; were it to, the call fails with an
/// error saying so rather than panicking.
fn unpaired<E>(wanted: &str) -> Error<E> {
    unpaired_kind(wanted).into()
}

#[cold]
fn unpaired_kind(wanted: &str) -> ErrorKind {
    ErrorKind::InvalidResponse(InvalidResponse::new(
        200,
        None,
        b"",
        format!("the runtime's answer to this call is not the {wanted} the call reads (a runtime bug: please report it)"),
    ))
}
