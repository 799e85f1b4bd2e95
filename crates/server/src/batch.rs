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
//! Plain reads are encoded straight from the stored record ([`crate::batch_read`]); every other
//! row runs through the single-record path, so it behaves exactly like the equivalent single
//! command.

use std::ops::Range;

use aerospike_cdt::wire::batch::{
    PARENT_RESPOND_ALL_KEYS, ROW_GEN, ROW_INFO, ROW_INFO4, ROW_REPEAT, ROW_TTL,
};

use crate::batch_read::{self, Plan, GROUP};
use crate::command::{Command, Reply};
use crate::frame;
use crate::msg::*;
use crate::result as rc;
use crate::single;
use crate::store::Digest;
use crate::State;

/// Size at which a proto of a batch reply is sent: big enough that headers and writes stay few,
/// small enough that the client works on the first rows while the server answers the rest.
pub const PROTO_TARGET: usize = 32 * 1024;

/// One row: its index in the request, its digest and which command it runs.
#[derive(Debug, Clone, Copy)]
pub struct Row {
    pub index: u32,
    pub digest: Digest,
    /// Index into the batch's distinct commands.
    pub template: u32,
}

/// A parsed batch: the parent flags, the rows and the distinct commands they run.
pub struct Batch<'a> {
    pub respond_all_keys: bool,
    pub rows: Vec<Row>,
    /// Every field of a command but the digest and ops, with the range of its ops in `ops`.
    templates: Vec<(Command<'a>, Range<usize>)>,
    ops: Vec<Op<'a>>,
}

impl<'a> Batch<'a> {
    /// The command a row runs, with the row's digest.
    pub fn command(&self, row: &Row) -> Command<'_> {
        let (cmd, ops) = &self.templates[row.template as usize];
        Command {
            digest: row.digest,
            ops: &self.ops[ops.clone()],
            ..*cmd
        }
    }

    /// The ops of the command a row runs.
    pub fn ops(&self, row: &Row) -> &[Op<'a>] {
        &self.ops[self.templates[row.template as usize].1.clone()]
    }
}

/// The first field of each kind a row uses (all kinds of interest are at most 43).
struct RowFields<'a>([Option<&'a [u8]>; FIELD_FILTER_EXP as usize + 1]);

impl<'a> RowFields<'a> {
    fn get(&self, kind: u8) -> Option<&'a [u8]> {
        self.0.get(kind as usize).copied().flatten()
    }
}

/// Parses the batch field. `parent_filter` applies to rows that carry no filter of their own.
pub fn parse<'a>(data: &'a [u8], parent_filter: Option<&'a [u8]>) -> Result<Batch<'a>, Malformed> {
    let mut c = Cursor::new(data);
    let n = c.u32()? as usize;
    let flags = c.u8()?;
    // Each row takes at least 25 bytes, which bounds the allocation by the input size.
    if n == 0 || n > c.remaining() / 25 + 1 {
        return Err(Malformed("row count"));
    }
    let mut b = Batch {
        respond_all_keys: flags & PARENT_RESPOND_ALL_KEYS != 0,
        rows: Vec::with_capacity(n),
        templates: Vec::new(),
        ops: Vec::new(),
    };
    for _ in 0..n {
        let index = c.u32()?;
        let digest: Digest = c.take(20)?.try_into().map_err(|_| Malformed("digest"))?;
        let row_flags = c.u8()?;
        if row_flags == ROW_REPEAT {
            let template = b
                .templates
                .len()
                .checked_sub(1)
                .ok_or(Malformed("repeat on first row"))?;
            b.rows.push(Row {
                index,
                digest,
                template: template as u32,
            });
            continue;
        }
        let info1 = c.u8()?;
        let (mut info2, mut info3) = (0, 0);
        if row_flags & ROW_INFO != 0 {
            info2 = c.u8()?;
            info3 = c.u8()?;
        }
        if row_flags & ROW_INFO4 != 0 {
            c.u8()?;
        }
        let generation = if row_flags & ROW_GEN != 0 {
            c.u16()? as u32
        } else {
            0
        };
        let ttl = if row_flags & ROW_TTL != 0 {
            c.u32()?
        } else {
            0
        };
        let n_fields = c.u16()?;
        let n_ops = c.u16()?;
        let mut fields = RowFields([None; FIELD_FILTER_EXP as usize + 1]);
        for _ in 0..n_fields {
            let f = parse_field(&mut c)?;
            if let Some(slot @ None) = fields.0.get_mut(f.kind as usize) {
                *slot = Some(f.data);
            }
        }
        let first_op = b.ops.len();
        for _ in 0..n_ops {
            b.ops.push(parse_op(&mut c)?);
        }
        let field = |k: u8| fields.get(k);
        let cmd = Command {
            info1,
            info2,
            info3,
            generation,
            ttl,
            namespace: field(FIELD_NAMESPACE).ok_or(Malformed("row without namespace"))?,
            set: field(FIELD_SET),
            key: field(FIELD_KEY),
            digest: [0; 20],
            filter: field(FIELD_FILTER_EXP).or(parent_filter),
            udf: crate::udf::Call::from_fields(field),
            mrt: field(FIELD_MRT_ID).is_some(),
            ops: &[],
        };
        b.templates.push((cmd, first_op..b.ops.len()));
        b.rows.push(Row {
            index,
            digest,
            template: (b.templates.len() - 1) as u32,
        });
    }
    Ok(b)
}

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
    let plans = batch
        .templates
        .iter()
        .map(|(cmd, ops)| Plan::of(state, cmd, &batch.ops[ops.clone()]))
        .collect();
    Ok(Run {
        state,
        batch,
        plans,
        next: 0,
        finished: false,
    })
}

impl Run<'_> {
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
        let now = batch_read::Now::of(&self.state.clock);
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
                Plan::Read(_) => batch_read::answer_group(
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
                overall = result;
                self.next = rows.len();
                break;
            }
            if w.buf.len() >= PROTO_TARGET {
                return;
            }
        }
        Reply::code(overall).encode_last(w);
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

    /// Runs the whole batch and returns every proto of the reply, concatenated.
    pub fn collect(mut self) -> Vec<u8> {
        let mut all = Vec::new();
        let mut proto = Vec::new();
        loop {
            let last = self.next_proto(&mut proto);
            all.extend_from_slice(&proto);
            if last {
                return all;
            }
        }
    }
}

/// Whether a row's result ends the batch (unless the request asks for every key's result).
pub fn fails_batch(result: u8) -> bool {
    !matches!(result, rc::OK | rc::KEY_NOT_FOUND | rc::FILTERED_OUT)
}

/// Runs a batch message and returns the complete response stream (proto headers included).
pub fn handle(state: &State, m: &Message<'_>) -> Vec<u8> {
    match start(state, m) {
        Ok(run) => run.collect(),
        Err(reply) => reply,
    }
}

/// A stream consisting only of the LAST message with `result`.
pub fn last_only(result: u8) -> Vec<u8> {
    let mut w = MsgWriter::default();
    Reply::code(result).encode_last(&mut w);
    let mut out = frame::header(frame::TYPE_MSG, w.buf.len()).to_vec();
    out.append(&mut w.buf);
    out
}

impl Reply {
    /// Appends this reply as the LAST message of a stream (no bins).
    pub fn encode_last(&self, w: &mut MsgWriter) {
        w.header(&Header {
            info3: INFO3_LAST,
            result: self.result,
            ..Default::default()
        });
    }
}
