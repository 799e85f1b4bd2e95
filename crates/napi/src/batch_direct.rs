//! The object `batchRead` of plain reads on the direct path: the rows go to their nodes over the
//! columnar path's own connections ([`aerospike_columnar::direct`]) and every returned record is
//! transcoded from the wire into the very bytes the crate's path answers with
//! ([`crate::transcode`]), so the facade cannot tell the paths apart. The crate's batch spends
//! more on its per-record `Record`, bin map and values than the server spends on the reads.
//!
//! Only a batch whose rows all read the same bins (all, named, or none) with the batch policy
//! alone is taken, with a policy this path sends as the crate does (master reads; a filter
//! expression goes packed, as the crate sends it). Anything else, and any failure but a timeout (a node that cannot be reached,
//! a reply this path cannot read, a refused login), leaves the whole (idempotent) read to the
//! crate's batch, which then answers it its own way.

use std::sync::Mutex;

use aerospike::{BatchPolicy, Bins, Client, Key, Replica};
use aerospike_cdt::result::{FILTERED_OUT, KEY_NOT_FOUND, UDF_EXECUTION};
use aerospike_cdt::wire::msg::{Header, HEADER_LEN, INFO3_LAST};
use aerospike_columnar::direct::{DirectError, DirectReader, ReadCall, Replies};
use aerospike_columnar::wire::{Progress, ReplyError, RequestPolicy, Selection};

use crate::client::{read_bin_selection, read_key};
use crate::codec::{Reader, Writer};
use crate::error::{code, Result};
use crate::policy::Decode;
use crate::transcode::{self, split_op, RecordOps};

/// Bin names the wire allows (the crate's path reports longer ones its own way).
const MAX_BIN_NAME: usize = 15;

/// The rows of `r` (after the batch policy) when every one is a plain read of the same bins.
fn plain_reads(mut r: Reader<'_>) -> Option<(Vec<Key>, Bins)> {
    let n = r.count().ok()?;
    let mut keys = Vec::with_capacity(n);
    let mut bins: Option<Bins> = None;
    for _ in 0..n {
        if r.u8().ok()? != 0 {
            return None;
        }
        keys.push(read_key(&mut r).ok()?);
        let sel = read_bin_selection(&mut r).ok()?;
        match &bins {
            None => bins = Some(sel),
            Some(b) if *b == sel => {}
            Some(_) => return None,
        }
    }
    Some((keys, bins?))
}

/// The answer of the batch `policy` heads (rows in `rows`), or `None` when the crate's batch
/// must run it.
pub async fn read(
    direct: &DirectReader,
    client: &Client,
    policy: &BatchPolicy,
    decode: Decode,
    rows: Reader<'_>,
) -> Result<Option<Vec<u8>>> {
    if !direct.objects_on()
        || !matches!(
            policy.base_policy.replica,
            Replica::Sequence | Replica::Master
        )
    {
        return Ok(None);
    }
    let Some((keys, bins)) = plain_reads(rows) else {
        return Ok(None);
    };
    // A node whose circuit breaker tripped: the crate's batch refuses it as it should.
    if client.nodes().iter().any(|n| !n.error_rate_within_limit()) {
        return Ok(None);
    }
    let names: Vec<&str> = match &bins {
        Bins::Some(n) => n.iter().map(String::as_str).collect(),
        _ => Vec::new(),
    };
    if names.iter().any(|n| n.is_empty() || n.len() > MAX_BIN_NAME) {
        return Ok(None);
    }
    let sel = match &bins {
        Bins::All => Selection::All,
        Bins::Some(n) if !n.is_empty() => Selection::Named(&names),
        _ => Selection::Header,
    };
    let call = ReadCall {
        policy,
        request: RequestPolicy {
            total_timeout_ms: policy.base_policy.total_timeout,
            respond_all_keys: policy.respond_all_keys,
            allow_inline: policy.allow_inline,
            allow_inline_ssd: policy.allow_inline_ssd,
            read_touch: policy.base_policy.read_touch_ttl.into(),
        },
        sel,
        keys: &keys,
        decline: |e| e.code != code::ERR_TIMEOUT,
    };
    let out = ObjectReplies::new(keys.len(), decode);
    match direct.batch_read(client, &call, &out).await {
        // A timeout, of a node or of the whole batch, is no failure of the call: as the crate
        // stamps them, the rows left without an answer carry it (`finish`).
        Ok(Some(_))
        | Err(DirectError {
            code: code::ERR_TIMEOUT,
            ..
        }) => {
            direct.note_object_batch();
            Ok(Some(out.finish()))
        }
        Ok(None) | Err(_) => Ok(None),
    }
}

/// One row's answer: its status (-1 until answered) and its record's bytes in the arena.
#[derive(Clone, Copy)]
struct Slot {
    status: i32,
    start: u32,
    end: u32,
}

struct Rows {
    slots: Vec<Slot>,
    arena: Writer,
}

/// The rows of an object batch read, filled as the nodes' replies arrive.
pub struct ObjectReplies {
    decode: Decode,
    rows: Mutex<Rows>,
}

impl ObjectReplies {
    pub fn new(n: usize, decode: Decode) -> Self {
        let unanswered = Slot {
            status: -1,
            start: 0,
            end: 0,
        };
        ObjectReplies {
            decode,
            rows: Mutex::new(Rows {
                slots: vec![unanswered; n],
                arena: Writer::with_capacity(n * 64),
            }),
        }
    }

    /// The answer as the crate's path writes it: per row the status (a row without an answer
    /// has the timeout's), the in-doubt flag (reads never are), whether a record follows, and
    /// the record.
    pub fn finish(self) -> Vec<u8> {
        let rows = self.rows.into_inner().unwrap_or_else(|e| e.into_inner());
        let mut w = Writer::with_capacity(4 + rows.slots.len() * 6 + rows.arena.buf.len());
        w.u32(rows.slots.len() as u32);
        for s in &rows.slots {
            w.i32(if s.status == -1 {
                code::ERR_TIMEOUT
            } else {
                s.status
            });
            w.u8(0);
            if s.end > s.start {
                w.u8(1);
                w.buf
                    .extend_from_slice(&rows.arena.buf[s.start as usize..s.end as usize]);
            } else {
                w.u8(0);
            }
        }
        w.buf
    }
}

fn bad(what: &'static str) -> ReplyError {
    ReplyError::Protocol(what)
}

impl Replies for ObjectReplies {
    /// Reads the row messages of one proto as the crate's batch parser does: a LAST message
    /// without a row error ends the reply; one with a row error is that row's answer and ends
    /// it too.
    fn proto(&self, body: &[u8], _now: u64) -> std::result::Result<Progress, ReplyError> {
        let mut rows = self.rows.lock().unwrap_or_else(|e| e.into_inner());
        let Rows { slots, arena } = &mut *rows;
        let mut at = 0;
        while at < body.len() {
            let head: &[u8; HEADER_LEN] = body
                .get(at..at + HEADER_LEN)
                .and_then(|h| h.try_into().ok())
                .ok_or(bad("truncated reply message"))?;
            if (head[0] as usize) < HEADER_LEN {
                return Err(bad("bad message header size"));
            }
            let h = Header::decode(head);
            at += head[0] as usize;
            for _ in 0..h.n_fields {
                let size = body
                    .get(at..at + 4)
                    .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]) as usize)
                    .ok_or(bad("truncated reply field"))?;
                at += 4 + size;
            }
            let ops = body.get(at..).ok_or(bad("truncated reply message"))?;
            let last = h.info3 & INFO3_LAST != 0;
            let clean = matches!(h.result, 0 | KEY_NOT_FOUND | FILTERED_OUT);
            if last && clean {
                return Ok(Progress::Done);
            }
            let slot = slots
                .get_mut(h.txn_ttl as usize)
                .ok_or(bad("reply row index outside the batch"))?;
            if h.result == 0 {
                let start = arena.buf.len();
                let rec = RecordOps {
                    generation: h.generation,
                    void_time: h.ttl,
                    ops,
                    n_ops: h.n_ops as usize,
                };
                at += transcode::record(arena, &rec, true, self.decode)
                    .map_err(|_| bad("unreadable record"))?;
                *slot = Slot {
                    status: 0,
                    start: start as u32,
                    end: arena.buf.len() as u32,
                };
            } else if h.result != UDF_EXECUTION {
                // A row the crate reports without a record (a UDF's failure record is the
                // crate's to read).
                let mut rest = ops;
                for _ in 0..h.n_ops {
                    rest = split_op(rest).ok_or(bad("truncated reply op"))?.1;
                }
                at += ops.len() - rest.len();
                *slot = Slot {
                    status: h.result as i32,
                    start: 0,
                    end: 0,
                };
            } else {
                return Err(bad("row status this path leaves to the crate"));
            }
            if last {
                return Ok(Progress::Done);
            }
        }
        Ok(Progress::More)
    }

    fn answered(&self) -> bool {
        let rows = self.rows.lock().unwrap_or_else(|e| e.into_inner());
        rows.slots.iter().any(|s| s.status != -1)
    }
}

#[cfg(test)]
mod tests {
    use aerospike::Record;
    use aerospike_cdt::wire::msg::{Header, INFO3_LAST};
    use aerospike_cdt::wire::particle;
    use aerospike_columnar::direct::Replies;
    use aerospike_columnar::wire::Progress;

    use super::ObjectReplies;
    use crate::client::write_record;
    use crate::codec::Writer;
    use crate::policy::Decode;

    fn msg(result: u8, index: u32, info3: u8, ops: &[(u8, &str, &[u8])]) -> Vec<u8> {
        let h = Header {
            result,
            info3,
            generation: 2,
            txn_ttl: index,
            n_ops: ops.len() as u16,
            ..Header::default()
        };
        [&h.encode()[..], &crate::transcode::wire_ops(ops)].concat()
    }

    #[test]
    fn rows_land_by_index_as_the_crate_path_writes_them() {
        let list = [0x92, 0x01, 0xc3];
        let ops: [(u8, &str, &[u8]); 2] = [
            (particle::INTEGER, "a", &5i64.to_be_bytes()),
            (particle::LIST, "l", &list),
        ];
        let mut body = msg(0, 1, 0, &ops);
        body.extend(msg(2, 0, 0, &[]));
        let out = ObjectReplies::new(4, Decode::Values);
        assert_eq!(out.proto(&body, 0), Ok(Progress::More));
        assert!(out.answered());
        // A LAST message with a row error is that row's answer, and the end.
        assert_eq!(
            out.proto(&msg(4, 2, INFO3_LAST, &[]), 0),
            Ok(Progress::Done)
        );

        let mut want = Writer::default();
        want.u32(4);
        for (status, record) in [(2, false), (0, true), (4, false), (9, false)] {
            want.i32(status);
            want.u8(0);
            want.u8(record as u8);
            if record {
                let mut ops_only = msg(0, 1, 0, &ops);
                ops_only.drain(..22);
                let (bins, _) = crate::particle::bins(&ops_only, 2, true, false)
                    .unwrap_or_else(|_| panic!("ops"));
                write_record(
                    &mut want,
                    &Record::new(None, bins, None, 2, 0),
                    Decode::Values,
                );
            }
        }
        assert_eq!(out.finish(), want.buf);
    }

    #[test]
    fn what_the_crate_must_answer_is_an_error_never_a_panic() {
        let out = ObjectReplies::new(2, Decode::Values);
        assert!(out.proto(&msg(0, 5, 0, &[]), 0).is_err());
        assert!(out.proto(&msg(100, 0, 0, &[]), 0).is_err());
        let good = msg(0, 1, 0, &[(particle::STRING, "s", b"abc")]);
        for cut in 0..good.len() {
            let _ = out.proto(&good[..cut], 0);
            let mut bad = good.clone();
            bad[cut] ^= 0xff;
            let _ = out.proto(&bad, 0);
        }
        assert_eq!(
            ObjectReplies::new(1, Decode::Values).proto(&msg(0, 0, INFO3_LAST, &[]), 0),
            Ok(Progress::Done)
        );
    }
}
