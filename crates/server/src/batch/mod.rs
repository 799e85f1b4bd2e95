//! Batch-index commands (field 41/42): many single-record rows in one request.
//!
//! Rows are parsed up front (a malformed batch fails as a whole with nothing executed). A row
//! with the REPEAT flag shares the previous row's command instead of copying it, and the ops of
//! all rows live in one vector, so parsing allocates a few vectors per batch, not per row.
//!
//! Execution is resumable: [`Run::next_proto`] answers rows until one proto of about
//! [`PROTO_TARGET`] bytes is full, so the connection sends it while the server does the rest and
//! the client starts parsing early. The stream ends with a LAST message.
//!
//! Plain reads are encoded straight from the stored record ([`read`]); the request's rows are parsed by [`row`]; every other
//! row runs through the single-record path, so it behaves exactly like the equivalent single
//! command.

mod read;
mod row;

use crate::command::Reply;
use crate::frame;
use crate::msg::*;
use crate::result as rc;
use crate::single;
use crate::stream::{last, last_only, Protos};
use crate::State;
use read::{Plan, GROUP};
use row::{fails_batch, parse, Batch};

/// Size at which a proto of a batch reply is sent: big enough that headers and writes stay few,
/// small enough that the client works on the first rows while the server answers the rest.
pub const PROTO_TARGET: usize = 32 * 1024;

/// A batch being answered, proto by proto.
pub struct Run<'a> {
    state: &'a State,
    batch: Batch<'a>,
    /// How each distinct command is answered.
    plans: Vec<Plan<'a>>,
    /// The next row to answer.
    next: usize,
    finished: bool,
}

/// Parses a batch message. A batch refused as a whole gets its complete reply instead.
pub fn start<'a>(state: &'a State, m: &Message<'a>) -> Result<Run<'a>, Vec<u8>> {
    let data = m
        .field(FIELD_BATCH_INDEX)
        .or_else(|| m.field(FIELD_BATCH_INDEX_WITH_SET));
    let batch = match data.map(|d| parse(d, m.field(FIELD_FILTER_EXP))) {
        Some(Ok(b)) => b,
        _ => return Err(last_only(rc::PARAMETER)),
    };
    if state.config.batch_max_requests > 0 && batch.rows.len() > state.config.batch_max_requests {
        return Err(last_only(rc::BATCH_MAX_REQUESTS));
    }
    // The real server builds the batch's own filter once, before any row: one it cannot build
    // fails the batch as a whole (a row's own filter is built only once its record is found).
    if let Some(Err(code)) = m.field(FIELD_FILTER_EXP).map(crate::expr::Expr::filter) {
        return Err(last_only(code));
    }
    let plans = batch
        .templates()
        .map(|(cmd, ops)| Plan::of(state, cmd, ops))
        .collect();
    Ok(Run {
        state,
        batch,
        plans,
        next: 0,
        finished: false,
    })
}

impl<'a> Run<'a> {
    /// The distinct commands of the batch, which security checks before any row runs.
    pub fn commands(&self) -> impl Iterator<Item = &crate::command::Command<'a>> {
        self.batch.templates().map(|(cmd, _)| cmd)
    }

    /// Replaces `out` with the next proto (header included) of the reply. Returns true when
    /// that proto is the last one (it ends with the LAST message).
    pub fn next_proto(&mut self, out: &mut Vec<u8>) -> bool {
        out.clear();
        // Room for a full proto and the group of rows that overshoots it, in the common case.
        out.reserve(PROTO_TARGET + 4096);
        out.extend_from_slice(&[0; 8]);
        let mut w = MsgWriter {
            buf: std::mem::take(out),
        };
        if !self.finished {
            self.fill(&mut w);
        }
        let len = w.buf.len() - 8;
        w.buf[..8].copy_from_slice(&frame::header(frame::TYPE_MSG, len));
        *out = w.buf;
        self.finished
    }

    /// Answers rows into `w` until it holds a proto's worth or the batch ends.
    fn fill(&mut self, w: &mut MsgWriter) {
        let now = read::Now::of(&self.state.clock);
        let rows = &self.batch.rows;
        let mut overall = rc::OK;
        for first in rows.iter().skip(self.next).take(GROUP) {
            self.plans[first.template as usize].prefetch(&first.digest);
        }
        while self.next < rows.len() {
            // The partition locks of the rows after these are needed next.
            for ahead in rows.iter().skip(self.next + GROUP).take(GROUP) {
                self.plans[ahead.template as usize].prefetch(&ahead.digest);
            }
            let row = &rows[self.next];
            let (done, result) = match &self.plans[row.template as usize] {
                Plan::Read(_) => read::answer_group(
                    &self.batch,
                    &self.plans,
                    &rows[self.next..],
                    self.batch.respond_all_keys,
                    now,
                    w,
                ),
                Plan::Code(code) => {
                    Reply::code(*code).encode(w, row.index);
                    (1, *code)
                }
                Plan::General => {
                    let reply = single::execute(self.state, &self.batch.command(row));
                    reply.encode(w, row.index);
                    (1, reply.result)
                }
            };
            self.next += done;
            if fails_batch(result) && !self.batch.respond_all_keys {
                // The real server still runs every row; the batch ends with the last failing
                // row's code, and what it answered is not sent.
                overall = result;
            }
            if overall != rc::OK {
                w.buf.truncate(8);
            } else if w.buf.len() >= PROTO_TARGET {
                return;
            }
        }
        last(w, overall);
        self.finished = true;
    }

    /// How each distinct command is answered.
    #[cfg(test)]
    pub(crate) fn plans(&self) -> &[Plan<'_>] {
        &self.plans
    }

    /// Sends every row through the single-record path (to compare the fast path against it).
    #[cfg(test)]
    pub(crate) fn force_general(&mut self) {
        self.plans.iter_mut().for_each(|p| *p = Plan::General);
    }
}

impl Protos for Run<'_> {
    fn next_proto(&mut self, out: &mut Vec<u8>) -> bool {
        Run::next_proto(self, out)
    }
}
