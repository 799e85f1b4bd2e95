//! Batch-index commands (field 41/42): many single-record rows in one request.
//!
//! Rows are parsed up front (a malformed batch fails as a whole with nothing executed), then
//! each runs through the single-record path. Replies are packed into protos of about 128 KiB
//! and the stream ends with a LAST message.

use crate::command::{Command, Reply};
use crate::frame;
use crate::msg::*;
use crate::result as rc;
use crate::single;
use crate::State;

const ROW_REPEAT: u8 = 0x01;
const ROW_INFO: u8 = 0x02;
const ROW_GEN: u8 = 0x04;
const ROW_TTL: u8 = 0x08;
const ROW_INFO4: u8 = 0x10;
const PARENT_RESPOND_ALL_KEYS: u8 = 0x04;
const PROTO_CHUNK: usize = 128 * 1024;

/// A parsed batch: the parent flags and one command per row, with the row's index.
pub struct Batch<'a> {
    pub respond_all_keys: bool,
    pub rows: Vec<(u32, Command<'a>)>,
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
    let mut rows: Vec<(u32, Command<'a>)> = Vec::with_capacity(n);
    for _ in 0..n {
        let index = c.u32()?;
        let digest: [u8; 20] = c.take(20)?.try_into().map_err(|_| Malformed("digest"))?;
        let row_flags = c.u8()?;
        if row_flags == ROW_REPEAT {
            let prev = rows
                .last()
                .ok_or(Malformed("repeat on first row"))?
                .1
                .clone();
            rows.push((index, Command { digest, ..prev }));
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
        let fields = parse_fields(&mut c, n_fields)?;
        let ops = parse_ops(&mut c, n_ops)?;
        let field = |k: u8| fields.iter().find(|f| f.kind == k).map(|f| f.data);
        rows.push((
            index,
            Command {
                info1,
                info2,
                info3,
                generation,
                ttl,
                namespace: field(FIELD_NAMESPACE).ok_or(Malformed("row without namespace"))?,
                set: field(FIELD_SET),
                key: field(FIELD_KEY),
                digest,
                filter: field(FIELD_FILTER_EXP).or(parent_filter),
                udf: crate::udf::Call::from_fields(field),
                mrt: field(FIELD_MRT_ID).is_some(),
                ops,
            },
        ));
    }
    Ok(Batch {
        respond_all_keys: flags & PARENT_RESPOND_ALL_KEYS != 0,
        rows,
    })
}

/// Runs a batch message and returns the complete response stream (proto headers included).
pub fn handle(state: &State, m: &Message<'_>) -> Vec<u8> {
    let data = m
        .field(FIELD_BATCH_INDEX)
        .or_else(|| m.field(FIELD_BATCH_INDEX_WITH_SET));
    let parsed = match data.map(|d| parse(d, m.field(FIELD_FILTER_EXP))) {
        Some(Ok(b)) => b,
        _ => return last_only(rc::PARAMETER),
    };
    if state.config.batch_max_requests > 0 && parsed.rows.len() > state.config.batch_max_requests {
        return last_only(rc::BATCH_MAX_REQUESTS);
    }
    let mut out = Vec::new();
    let mut w = MsgWriter::default();
    let mut overall = rc::OK;
    for (index, cmd) in &parsed.rows {
        let reply = single::execute(state, cmd);
        let fatal = !matches!(reply.result, rc::OK | rc::KEY_NOT_FOUND | rc::FILTERED_OUT);
        reply.encode(&mut w, *index);
        if fatal && !parsed.respond_all_keys {
            overall = reply.result;
            break;
        }
        if w.buf.len() >= PROTO_CHUNK {
            flush(&mut out, &mut w);
        }
    }
    Reply::code(overall).encode_last(&mut w);
    flush(&mut out, &mut w);
    out
}

fn flush(out: &mut Vec<u8>, w: &mut MsgWriter) {
    if !w.buf.is_empty() {
        out.extend_from_slice(&frame::header(frame::TYPE_MSG, w.buf.len()));
        out.append(&mut w.buf);
    }
}

/// A stream consisting only of the LAST message with `result`.
pub fn last_only(result: u8) -> Vec<u8> {
    let mut w = MsgWriter::default();
    Reply::code(result).encode_last(&mut w);
    let mut out = Vec::new();
    flush(&mut out, &mut w);
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
