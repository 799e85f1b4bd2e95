//! Entry points for fuzzing and random-input tests: feed arbitrary bytes to the server's parsers
//! and command handlers exactly as a connection would, without a socket. They must never panic.

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use crate::frame::{read_frame, Frame};
use crate::{request, Config, State};

/// A server state with no listener, for feeding requests straight to the handlers.
pub fn state() -> State {
    State::new(Config::default(), "127.0.0.1:0".parse().expect("address"))
}

/// Polls a future that cannot wait (it only reads from memory) to completion.
fn ready<F: Future>(f: F) -> Option<F::Output> {
    let mut cx = Context::from_waker(Waker::noop());
    match pin!(f).poll(&mut cx) {
        Poll::Ready(v) => Some(v),
        Poll::Pending => None,
    }
}

/// Reads frames from `data` as a connection would and answers each one, until the bytes run
/// out or a frame is refused. Returns the reply bytes produced.
pub fn connection_bytes(state: &State, data: &[u8]) -> usize {
    let mut input = data;
    let mut replied = 0;
    while let Some(Ok(Some(frame))) = ready(read_frame(&mut input)) {
        match request::dispatch(state, frame) {
            Some(reply) => replied += reply.len(),
            None => break,
        }
    }
    replied
}

/// Answers one frame of the given proto type whose body is `body` (no header parsing).
pub fn frame_body(state: &State, kind: u8, body: &[u8]) -> usize {
    request::dispatch(
        state,
        Frame {
            kind,
            body: body.to_vec(),
        },
    )
    .map_or(0, |r| r.len())
}

/// Runs a collection op payload against a bin value given as particle type and bytes.
pub fn collection(data: &[u8]) {
    if data.len() < 2 {
        return;
    }
    let kind = match data[0] % 6 {
        0 => aerospike_cdt::Kind::CdtRead,
        1 => aerospike_cdt::Kind::CdtModify,
        2 => aerospike_cdt::Kind::BitRead,
        3 => aerospike_cdt::Kind::BitModify,
        4 => aerospike_cdt::Kind::HllRead,
        _ => aerospike_cdt::Kind::HllModify,
    };
    let split = (data[1] as usize).min(data.len() - 2);
    let (bin, op) = data[2..].split_at(split);
    let current = bin.split_first().map(|(p, rest)| (*p, rest));
    let _ = aerospike_cdt::apply(kind, current, op);
}
