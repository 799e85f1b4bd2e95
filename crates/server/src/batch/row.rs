//! The rows of a batch request (field 41/42), parsed up front: a malformed batch fails as a
//! whole with nothing executed.

use std::ops::Range;

use crate::command::{Call, Command};
use crate::msg::*;
use crate::record::Digest;
use crate::result as rc;

use aerospike_cdt::wire::batch::{
    PARENT_RESPOND_ALL_KEYS, ROW_GEN, ROW_INFO, ROW_INFO4, ROW_REPEAT, ROW_TTL,
};

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

    /// Every distinct command (digest left zero) with its ops.
    pub fn templates(&self) -> impl Iterator<Item = (&Command<'a>, &[Op<'a>])> {
        self.templates
            .iter()
            .map(|(cmd, ops)| (cmd, &self.ops[ops.clone()]))
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
            udf: Call::from_fields(field),
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

/// Whether a row's result ends the batch (unless the request asks for every key's result).
pub fn fails_batch(result: u8) -> bool {
    !matches!(result, rc::OK | rc::KEY_NOT_FOUND | rc::FILTERED_OUT)
}
