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
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;

use crate::call::response::Output;
use crate::call::slot;
use crate::error::{Error, ErrorKind, InvalidResponse};
use crate::mock::{Fill, MockReplies};

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
    /// A whole call's output, boxed as the `T` of the [`Pending::whole`] it belongs to: its
    /// work was given that type's [`Decoder`](crate::call::response::Decoder).
    Output(slot::Boxed),
    /// The call's whole output, a `Result<T, Error<E>>` of the `Pending` it belongs to, made
    /// where the call started: an event stream, a mock's reply.
    Made(Box<dyn Any + Send>),
    /// A mock's queued response to `action`, of the type named `queued`: the `T` of a
    /// [`Pending::whole`] when the test queued the right one.
    Reply {
        reply: Fill,
        queued: &'static str,
        action: String,
    },
}

impl Answer {
    /// A success's output as an answer: the output, or why it could not be read (the
    /// error keeps the response's body).
    pub(crate) fn of_output(output: Output) -> Self {
        match output {
            Ok(output) => Answer::Output(output),
            Err(invalid) => Answer::Failed(ErrorKind::InvalidResponse(*invalid)),
        }
    }

    /// A mock's reply to `action`, or the error it gives instead, as an answer.
    pub(crate) fn of_reply(reply: Result<(Fill, &'static str), ErrorKind>, action: &str) -> Self {
        match reply {
            Ok((reply, queued)) => Answer::Reply {
                reply,
                queued,
                action: action.to_owned(),
            },
            Err(kind) => Answer::Failed(kind),
        }
    }
}

/// A call's answers, one at a time, whatever the action: a listing's pages, a mock's
/// replies to a paged or streamed call.
pub(crate) type Answers = Pin<Box<dyn Stream<Item = Answer> + Send>>;

/// A mock's replies as answers.
pub(crate) struct MockAnswers(pub(crate) MockReplies);

impl Stream for MockAnswers {
    type Item = Answer;

    fn poll_next(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Answer>> {
        let replies = &mut self.0;
        let reply = replies.next_reply();
        Poll::Ready(reply.map(|reply| Answer::of_reply(reply, replies.action())))
    }
}

/// [`Answers`] read as `T`, each as [`Pending::whole`] reads its one; an error is the last
/// item. Only this small stream is generic.
pub(crate) struct ReadAnswers<T, E> {
    answers: Answers,
    read: fn(Answer) -> Result<T, Error<E>>,
    ended: bool,
}

impl<T: Send + 'static, E: 'static> ReadAnswers<T, E> {
    pub(crate) fn new(answers: Answers) -> Self {
        Self {
            answers,
            read: read_whole::<T, E>,
            ended: false,
        }
    }
}

impl<T, E> Stream for ReadAnswers<T, E> {
    type Item = Result<T, Error<E>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if self.ended {
            return Poll::Ready(None);
        }
        let read = self.read;
        let Poll::Ready(answer) = self.answers.as_mut().poll_next(cx) else {
            return Poll::Pending;
        };
        let item = answer.map(read);
        self.ended = !matches!(item, Some(Ok(_)));
        Poll::Ready(item)
    }
}

impl<T, E> Pending<T, E> {
    /// A call whose answer is one envelope read as `T` (or a mock's reply): `work` must read
    /// its output with `T`'s decoder.
    pub(crate) fn whole(work: Work) -> Self
    where
        T: Send + 'static,
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

/// The reader of [`Pending::whole`]: a slot of the output's type handed to [`read_into`],
/// which does the reading once for every action; the output, decoded in the call's work or
/// queued in a mock, puts itself there ([`slot::Put`]).
pub(crate) fn read_whole<T: Send + 'static, E: 'static>(answer: Answer) -> Result<T, Error<E>> {
    let wanted = std::any::type_name::<T>();
    let mut output: Option<T> = None;
    let read = read_into(answer, &mut output, wanted);
    // The output moves out on every path, so no drop of it is compiled here, once per action:
    // `read_into` fills the slot only when it succeeds.
    match (output, read) {
        (Some(output), _) => Ok(output),
        (None, Err(kind)) => Err(kind.into()),
        (None, Ok(())) => Err(unpaired(wanted)),
    }
}

/// A whole call's answer put into `slot`, an `Option` of the type named `wanted`: the
/// output decoded, or the mock's reply; or the call's error.
fn read_into(answer: Answer, slot: &mut dyn Any, wanted: &'static str) -> Result<(), ErrorKind> {
    match answer {
        Answer::Failed(kind) => Err(kind),
        Answer::Output(output) => match output.put(slot) {
            true => Ok(()),
            false => Err(unpaired_kind(wanted)),
        },
        Answer::Reply {
            reply,
            queued,
            action,
        } => match reply.put(slot) {
            true => Ok(()),
            false => Err(crate::mock::mistyped(&action, queued, wanted)),
        },
        Answer::Made(_) => Err(unpaired_kind(wanted)),
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
        Answer::Output(_) | Answer::Reply { .. } => Err(unpaired(std::any::type_name::<T>())),
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
