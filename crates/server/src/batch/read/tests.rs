//! The fast path must answer exactly as the single-record path does: every case here runs a
//! batch both ways and compares the reply messages byte for byte.

use super::Plan;
use crate::batch;
use crate::msg::{self, HEADER_LEN};
use crate::record::{particle, Record, Value};
use crate::record::{partition_of, Digest};
use crate::stream::Protos;
use crate::{Config, State};

#[path = "../../../tests/common/mod.rs"]
mod common;
use common::{field, op};

const READ: u8 = msg::INFO1_READ;
const ALL: u8 = msg::INFO1_READ | msg::INFO1_GET_ALL;
const NO_BINS: u8 = msg::INFO1_READ | msg::INFO1_GET_NO_BINS;
const RESPOND_ALL_KEYS: u8 = 0x04;

fn state() -> State {
    State::new(Config::default(), "127.0.0.1:0".parse().unwrap())
}

fn digest(i: u32) -> Digest {
    let mut d = [0x5a; 20];
    d[..4].copy_from_slice(&i.wrapping_mul(2_654_435_761).to_le_bytes());
    d[19] = i as u8;
    d
}

fn int(v: i64) -> Value {
    Value::int(v)
}

fn put(state: &State, d: Digest, set: &str, bins: Vec<(&str, Value)>, void_time: u32) {
    let rec = Record {
        set: set.into(),
        bins: bins.into_iter().map(|(n, v)| (n.into(), v)).collect(),
        generation: 3,
        void_time,
        ttl: 100,
        ..Default::default()
    };
    let ns = state.store.namespace(b"test").unwrap();
    // Stored as every write stores a record: sealed, so the fast path copies its encoded bins.
    ns.put(&mut ns.write(partition_of(&d)), d, rec);
}

/// A full row: flags INFO|TTL, then info1, info2, info3 = 0, the TTL, the namespace field,
/// `set` (if any) and the ops.
fn row(
    index: u32,
    d: &Digest,
    info: [u8; 2],
    ttl: u32,
    set: Option<&str>,
    ops: &[Vec<u8>],
) -> Vec<u8> {
    let mut fields = vec![field(0, b"test")];
    fields.extend(set.map(|s| field(1, s.as_bytes())));
    let mut v = index.to_be_bytes().to_vec();
    v.extend_from_slice(d);
    v.extend_from_slice(&[0x0a, info[0], info[1], 0]);
    v.extend_from_slice(&ttl.to_be_bytes());
    v.extend_from_slice(&(fields.len() as u16).to_be_bytes());
    v.extend_from_slice(&(ops.len() as u16).to_be_bytes());
    fields
        .iter()
        .chain(ops)
        .for_each(|x| v.extend_from_slice(x));
    v
}

/// `row` with `extra` fields before its own (the server takes the first field of each kind).
fn with_fields(mut row: Vec<u8>, extra: &[Vec<u8>]) -> Vec<u8> {
    let n = u16::from_be_bytes([row[32], row[33]]) + extra.len() as u16;
    row[32..34].copy_from_slice(&n.to_be_bytes());
    row.splice(36..36, extra.concat());
    row
}

/// A row that repeats the previous row's command for another digest.
fn repeat(index: u32, d: &Digest) -> Vec<u8> {
    let mut v = index.to_be_bytes().to_vec();
    v.extend_from_slice(d);
    v.push(0x01);
    v
}

/// A batch message body with the given rows, parent flags and parent filter.
fn batch_msg(rows: &[Vec<u8>], flags: u8, filter: Option<&[u8]>) -> Vec<u8> {
    let mut data = (rows.len() as u32).to_be_bytes().to_vec();
    data.push(flags);
    rows.iter().for_each(|r| data.extend_from_slice(r));
    let mut fields = vec![field(msg::FIELD_BATCH_INDEX, &data)];
    fields.extend(filter.map(|f| field(msg::FIELD_FILTER_EXP, f)));
    let mut v = vec![22, msg::INFO1_READ | msg::INFO1_BATCH, 0, 0, 0, 0];
    v.extend_from_slice(&[0; 12]);
    v.extend_from_slice(&(fields.len() as u16).to_be_bytes());
    v.extend_from_slice(&[0, 0]);
    fields.iter().for_each(|f| v.extend_from_slice(f));
    v
}

/// The messages of a reply stream with the proto headers removed (the two paths may cut
/// protos at different rows).
fn messages(stream: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut rest = stream;
    while !rest.is_empty() {
        let len = u64::from_be_bytes([0, 0, rest[2], rest[3], rest[4], rest[5], rest[6], rest[7]]);
        out.extend_from_slice(&rest[8..8 + len as usize]);
        rest = &rest[8 + len as usize..];
    }
    out
}

/// Runs `body` both ways; checks the replies are equal and returns them with how many
/// distinct commands took the fast path.
fn both(state: &State, body: &[u8]) -> (Vec<u8>, usize) {
    let m = msg::parse(body).unwrap();
    let mut fast = batch::start(state, &m).ok().unwrap();
    let n_fast = fast
        .plans()
        .iter()
        .filter(|p| matches!(p, Plan::Read(_)))
        .count();
    let mut general = batch::start(state, &m).ok().unwrap();
    general.force_general();
    let (fast, general) = (messages(&fast.collect()), messages(&general.collect()));
    assert_eq!(fast, general);
    (fast, n_fast)
}

/// (result, batch index, n_ops) of each message in a reply.
fn summary(mut msgs: &[u8]) -> Vec<(u8, u32, u16)> {
    let mut out = Vec::new();
    while msgs.len() >= HEADER_LEN {
        let m = msg::parse(msgs).unwrap();
        out.push((m.header.result, m.header.txn_ttl, m.header.n_ops));
        let mut len = HEADER_LEN;
        let mut c = msg::Cursor::new(&msgs[HEADER_LEN..]);
        for _ in 0..m.header.n_ops {
            let size = c.u32().unwrap() as usize;
            c.take(size).unwrap();
            len += 4 + size;
        }
        msgs = &msgs[len..];
    }
    out
}

fn seed(state: &State) -> u32 {
    let now = state.clock.now_cl();
    let float = |f: f64| Value {
        particle: particle::FLOAT,
        data: f.to_be_bytes().to_vec(),
    };
    let string = |s: &str| Value {
        particle: particle::STRING,
        data: s.as_bytes().to_vec(),
    };
    for i in 0..40 {
        let bins = vec![
            ("a", int(i as i64)),
            ("b", float(i as f64 + 0.5)),
            ("name", string(&"x".repeat(i as usize))),
        ];
        put(
            state,
            digest(i),
            "s",
            bins,
            if i % 5 == 0 { 0 } else { now + 1000 },
        );
    }
    put(state, digest(100), "s", vec![("a", int(1))], 1); // expired
    put(state, digest(101), "other", vec![("a", int(1))], 0);
    now
}

#[test]
fn all_bins_no_bins_and_missing_records() {
    let state = state();
    seed(&state);
    let ds = [0, 1, 7, 100, 200, 3];
    for info1 in [ALL, NO_BINS] {
        let mut rows = vec![row(0, &digest(ds[0]), [info1, 0], 0, Some("s"), &[])];
        rows.extend(
            ds.iter()
                .enumerate()
                .skip(1)
                .map(|(i, &d)| repeat(i as u32, &digest(d))),
        );
        let (out, n_fast) = both(&state, &batch_msg(&rows, 0, None));
        assert_eq!(n_fast, 1);
        let s = summary(&out);
        let expected_ops = if info1 == ALL { 3 } else { 0 };
        assert_eq!(s[0], (0, 0, expected_ops));
        // The expired and the absent record are not found.
        assert_eq!((s[3].0, s[4].0), (2, 2));
        assert_eq!(s.last(), Some(&(0, 0, 0)));
    }
}

#[test]
fn named_bins_with_missing_bins_and_empty_names() {
    let state = state();
    seed(&state);
    let ops = [
        op(1, 0, "name", &[]),
        op(1, 0, "zz", &[]),
        op(1, 0, "", &[]),
        op(1, 0, "a", &[]),
    ];
    for info2 in [0, msg::INFO2_RESPOND_ALL_OPS] {
        let rows = vec![
            row(0, &digest(2), [READ, info2], 0, Some("s"), &ops),
            repeat(1, &digest(3)),
            repeat(2, &digest(555)),
            row(3, &digest(4), [READ, info2], 0, None, &ops[1..2]),
        ];
        let (out, n_fast) = both(&state, &batch_msg(&rows, 0, None));
        assert_eq!(n_fast, 2);
        let s = summary(&out);
        let placeholders = if info2 == 0 { 0 } else { 1 };
        assert_eq!(s[0].2, 1 + placeholders + 3 + 1);
        assert_eq!(s[3].2, placeholders);
    }
}

#[test]
fn filters_sets_and_invalid_reads() {
    let state = state();
    seed(&state);
    // a == 5 (as in the protocol reference's expression examples).
    let a_is_5 = [0x93, 0x01, 0x93, 0x51, 0x02, 0xa1, b'a', 0x05];
    let rows: Vec<Vec<u8>> = std::iter::once(row(0, &digest(0), [ALL, 0], 0, Some("s"), &[]))
        .chain((1..12).map(|i| repeat(i, &digest(i))))
        .chain([
            // Record in another set: PARAMETER; with RESPOND_ALL_KEYS the batch goes on.
            row(12, &digest(101), [ALL, 0], 0, Some("s"), &[]),
            // No set named: any set matches.
            row(13, &digest(101), [ALL, 0], 0, None, &[]),
            // READ without GET_ALL and without ops: PARAMETER, but only for a found record.
            row(14, &digest(5), [READ, 0], 0, Some("s"), &[]),
            repeat(15, &digest(999)),
        ])
        .collect();
    let (out, _) = both(&state, &batch_msg(&rows, RESPOND_ALL_KEYS, Some(&a_is_5)));
    let results: Vec<u8> = summary(&out).iter().map(|m| m.0).collect();
    let mut expected = vec![27; 12];
    expected[5] = 0;
    expected.extend([4, 27, 4, 2, 0]);
    assert_eq!(results, expected);
    // Without RESPOND_ALL_KEYS every row still runs, but the batch answers only LAST, with the
    // last failing row's code (as the real server, which drops the answered rows).
    let (out, _) = both(&state, &batch_msg(&rows, 0, None));
    let s = summary(&out);
    assert_eq!(s.len(), 1);
    assert_eq!(s[0].0, 4);
}

#[test]
fn rows_the_fast_path_leaves_alone_keep_their_order() {
    let state = state();
    seed(&state);
    let bad_filter = [0xc1];
    let cdt_size = op(3, 0, "a", &[0x91, 0x10]);
    let rows = vec![
        row(0, &digest(1), [ALL, 0], 0, Some("s"), &[]),
        // Read-touch (TTL percentage), a collection read, a delete (of nothing, so that both
        // runs see the same data), a filter that cannot be built and a command that is
        // neither read nor write.
        row(1, &digest(2), [ALL, 0], 80, Some("s"), &[]),
        row(2, &digest(3), [READ, 0], 0, Some("s"), &[cdt_size]),
        row(
            3,
            &digest(300),
            [0, msg::INFO2_WRITE | msg::INFO2_DELETE],
            0,
            Some("s"),
            &[],
        ),
        with_fields(
            row(4, &digest(4), [ALL, 0], 0, Some("s"), &[]),
            &[field(43, &bad_filter)],
        ),
        repeat(5, &digest(5)),
        row(6, &digest(6), [0, 0], 0, Some("s"), &[]),
        row(7, &digest(300), [ALL, 0], 0, Some("s"), &[]),
    ];
    let mut body = batch_msg(&rows, RESPOND_ALL_KEYS, None);
    let (out, n_fast) = both(&state, &body);
    let s = summary(&out);
    assert_eq!(n_fast, 2);
    assert_eq!(
        s.iter().map(|m| m.1).collect::<Vec<_>>(),
        [0, 1, 2, 3, 4, 5, 6, 7, 0]
    );
    assert_eq!((s[0].0, s[3].0, s[6].0, s[7].0), (0, 2, 4, 2));
    // An unknown namespace.
    let pos = body.windows(4).position(|w| w == b"test").unwrap();
    body[pos..pos + 4].copy_from_slice(b"nope");
    let (out, _) = both(&state, &body);
    assert_eq!(summary(&out)[0].0, 20);
}

#[test]
fn many_rows_span_protos_and_many_bins_are_capped() {
    let state = state();
    seed(&state);
    let d = digest(7777);
    let bins: Vec<(String, Value)> = (0..70_000).map(|i| (format!("b{i}"), int(i))).collect();
    put(
        &state,
        d,
        "s",
        bins.iter().map(|(n, v)| (n.as_str(), v.clone())).collect(),
        0,
    );
    let rows = vec![row(0, &d, [ALL, 0], 0, Some("s"), &[])];
    let (out, _) = both(&state, &batch_msg(&rows, 0, None));
    assert_eq!(summary(&out)[0].2, u16::MAX);

    let mut rows = vec![row(0, &digest(0), [ALL, 0], 0, Some("s"), &[])];
    rows.extend((1..3000).map(|i| repeat(i, &digest(i % 50))));
    let body = batch_msg(&rows, 0, None);
    let (out, _) = both(&state, &body);
    assert_eq!(summary(&out).len(), 3001);
    // The stream is cut into protos of about PROTO_TARGET bytes.
    let m = msg::parse(&body).unwrap();
    let mut run = batch::start(&state, &m).ok().unwrap();
    let mut proto = Vec::new();
    let mut sizes = Vec::new();
    while !run.next_proto(&mut proto) {
        sizes.push(proto.len());
    }
    assert!(sizes.len() >= 3, "{sizes:?}");
    assert!(sizes
        .iter()
        .all(|&n| (batch::PROTO_TARGET..batch::PROTO_TARGET + 4096).contains(&n)));
}
