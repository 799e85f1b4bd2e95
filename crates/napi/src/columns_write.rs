//! Columnar writes: one record per row from one array per bin (typed arrays of numbers, or the
//! offsets and bytes of strings and blobs), with no JavaScript object per record. Each row
//! becomes one batch write of the bins it has; the result is one result code per row. Rows are
//! encoded straight into the wire request on the columnar path's own connections
//! (`aerospike_columnar::direct::write`) when the policy asks for nothing that path leaves to the
//! crate; otherwise each row becomes the crate's batch write.
//!
//! Request layout (written by `src/columnar_write.ts`): batch policy, write policy, `u32 n`
//! keys, `u32 columns`, then per column `str bin, u8 kind, u8 masked, [bytes mask (n)]` and
//! its data: kinds 1 f64, 2 i64, 3 i32, 4 bool (u8) as `bytes` of n little-endian values;
//! kinds 5 str and 6 bytes as `bytes offsets` (n + 1 little-endian i32) and `bytes data`.

use aerospike::{
    operations, BatchOperation, BatchPolicy, Bin, CommitLevel, GenerationPolicy, Key,
    RecordExistsAction, Value, WritePolicy,
};
use aerospike_cdt::wire::msg::{
    op_head, INFO2_CREATE_ONLY, INFO2_RESPOND_ALL_OPS, INFO2_WRITE, INFO3_CREATE_OR_REPLACE,
    INFO3_REPLACE_ONLY, INFO3_UPDATE_ONLY,
};
use aerospike_cdt::wire::{op, particle};
use aerospike_columnar::direct::{DirectReader, WriteCall};
use aerospike_columnar::write_wire::WriteAttrs;
use napi::bindgen_prelude::{BufferSlice, Int32Array, PromiseRaw};
use napi::Env;
use napi_derive::napi;

use crate::batch::write_policy;
use crate::client::{read_key, NativeClient};
use crate::codec::{CodecError, Reader};
use crate::error::{code, from_aerospike, js_error, promise, Result};
use crate::policy;

/// The values of one column, checked against the row count.
enum Values<'a> {
    Fixed {
        kind: u8,
        data: &'a [u8],
    },
    Var {
        kind: u8,
        offsets: Vec<usize>,
        data: &'a [u8],
    },
}

struct WriteColumn<'a> {
    bin: String,
    mask: Option<&'a [u8]>,
    values: Values<'a>,
}

fn bad(what: &'static str) -> CodecError {
    CodecError(what)
}

impl<'a> WriteColumn<'a> {
    fn read(r: &mut Reader<'a>, n: usize) -> Result<Self, CodecError> {
        let bin = r.str()?.to_owned();
        if bin.is_empty() || bin.len() > 15 {
            return Err(bad("bin name"));
        }
        let kind = r.u8()?;
        let mask = match r.u8()? {
            0 => None,
            _ => match r.bytes()? {
                m if m.len() == n => Some(m),
                _ => return Err(bad("mask length")),
            },
        };
        let values = match kind {
            1..=4 => {
                let width = if kind == 4 {
                    1
                } else if kind == 3 {
                    4
                } else {
                    8
                };
                let data = r.bytes()?;
                if data.len() != n * width {
                    return Err(bad("column length"));
                }
                Values::Fixed { kind, data }
            }
            5 | 6 => {
                let raw = r.bytes()?;
                let data = r.bytes()?;
                if raw.len() != (n + 1) * 4 {
                    return Err(bad("offsets length"));
                }
                let offsets: Vec<usize> = raw
                    .chunks_exact(4)
                    .map(|c| i32::from_le_bytes([c[0], c[1], c[2], c[3]]).max(-1) as isize)
                    .map(|o| usize::try_from(o).unwrap_or(usize::MAX))
                    .collect();
                let ordered = offsets.windows(2).all(|w| w[0] <= w[1]);
                if !ordered || offsets[n] > data.len() {
                    return Err(bad("offsets"));
                }
                if kind == 5 && std::str::from_utf8(data).is_err() {
                    return Err(bad("string data is not UTF-8"));
                }
                Values::Var {
                    kind,
                    offsets,
                    data,
                }
            }
            _ => return Err(bad("column kind")),
        };
        Ok(WriteColumn { bin, mask, values })
    }

    /// Row `i`'s value, or `None` where the mask leaves it out. Both write paths read the
    /// columns through this one place.
    fn cell(&self, i: usize) -> Option<Cell<'a>> {
        if self.mask.is_some_and(|m| m[i] == 0) {
            return None;
        }
        Some(match self.values {
            Values::Fixed { kind, data } => {
                let word = |w: usize| {
                    let mut b = [0u8; 8];
                    b[..w].copy_from_slice(&data[i * w..(i + 1) * w]);
                    b
                };
                match kind {
                    1 => Cell::F64(f64::from_le_bytes(word(8))),
                    2 => Cell::I64(i64::from_le_bytes(word(8))),
                    3 => Cell::I64(i64::from(i32::from_le_bytes(
                        word(4)[..4].try_into().unwrap_or_default(),
                    ))),
                    _ => Cell::Bool(data[i] != 0),
                }
            }
            Values::Var {
                kind,
                ref offsets,
                data,
            } => {
                let bytes = &data[offsets[i]..offsets[i + 1]];
                if kind != 5 {
                    Cell::Bytes(bytes)
                } else {
                    // The whole buffer is UTF-8: a slice is, when both ends fall on characters.
                    let starts_char = |o: usize| data.get(o).is_none_or(|b| b & 0xc0 != 0x80);
                    match starts_char(offsets[i]) && starts_char(offsets[i + 1]) {
                        true => Cell::Str(bytes),
                        false => Cell::CutStr,
                    }
                }
            }
        })
    }

    /// Row `i`'s bin for the crate's batch, or `None` where the mask leaves it out or the
    /// value cannot be written.
    fn bin(&self, i: usize) -> Option<Bin> {
        let v = match self.cell(i)? {
            Cell::F64(v) => Value::from(v),
            Cell::I64(v) => Value::Int(v),
            Cell::Bool(v) => Value::Bool(v),
            Cell::Str(b) => Value::String(std::str::from_utf8(b).ok()?.to_owned()),
            Cell::Bytes(b) => Value::Blob(b.to_vec()),
            Cell::CutStr => return None,
        };
        Some(Bin::new(self.bin.clone(), v))
    }

    /// Whether row `i` of this column can be written: left out by the mask, or a value (a
    /// string cut inside a character cannot).
    fn writable(&self, i: usize) -> bool {
        !matches!(self.cell(i), Some(Cell::CutStr))
    }

    /// Appends row `i`'s WRITE op to `buf` (nothing where the mask leaves it out); whether one
    /// was written. The particles are those the crate sends for the same values.
    fn put_op(&self, i: usize, buf: &mut Vec<u8>) -> bool {
        let (p, value): (u8, &[u8]) = match self.cell(i) {
            None | Some(Cell::CutStr) => return false,
            Some(Cell::F64(v)) => (particle::FLOAT, &v.to_be_bytes()),
            Some(Cell::I64(v)) => (particle::INTEGER, &v.to_be_bytes()),
            Some(Cell::Bool(v)) => (particle::BOOL, &[v as u8]),
            Some(Cell::Str(b)) => (particle::STRING, b),
            Some(Cell::Bytes(b)) => (particle::BLOB, b),
        };
        let name = self.bin.as_bytes();
        buf.extend_from_slice(&op_head(op::WRITE, p, name.len(), value.len()));
        buf.extend_from_slice(name);
        buf.extend_from_slice(value);
        true
    }
}

/// One row's value of one column.
enum Cell<'a> {
    F64(f64),
    I64(i64),
    Bool(bool),
    Str(&'a [u8]),
    /// A string whose offsets cut a character: the row is refused with `ERR_PARAM`.
    CutStr,
    Bytes(&'a [u8]),
}

/// The write attributes of the direct path for these policies, or None when they ask for what
/// only the crate's batch does (filter expressions, an expected generation, durable deletes,
/// commit-master, transactions, compression, error detail).
fn direct_attrs(batch: &BatchPolicy, write: &WritePolicy) -> Option<WriteAttrs> {
    let plain = |b: &aerospike::policy::BasePolicy| {
        b.filter_expression.is_none()
            && b.txn.is_none()
            && !b.use_compression
            && b.error_detail_verbosity == 0
    };
    if !plain(&batch.base_policy)
        || !plain(&write.base_policy)
        || write.generation_policy != GenerationPolicy::None
        || write.durable_delete
        || write.commit_level != CommitLevel::CommitAll
        || write.on_locking_only
    {
        return None;
    }
    let (mut info2, mut info3) = (INFO2_WRITE | INFO2_RESPOND_ALL_OPS, 0);
    match write.record_exists_action {
        RecordExistsAction::Update => {}
        RecordExistsAction::UpdateOnly => info3 |= INFO3_UPDATE_ONLY,
        RecordExistsAction::Replace => info3 |= INFO3_CREATE_OR_REPLACE,
        RecordExistsAction::ReplaceOnly => info3 |= INFO3_REPLACE_ONLY,
        RecordExistsAction::CreateOnly => info2 |= INFO2_CREATE_ONLY,
    }
    Some(WriteAttrs {
        info2,
        info3,
        ttl: u32::from(write.expiration),
        send_key: write.send_key,
    })
}

/// The columnar write on the direct path: one code per row (`ERR_PARAM` for a row with nothing
/// to write), or None when the path declines.
async fn write_direct(
    client: &aerospike::Client,
    direct: &DirectReader,
    (policy, attrs): (&BatchPolicy, WriteAttrs),
    keys: &[Key],
    cols: &[WriteColumn<'_>],
) -> Result<Option<Vec<i32>>> {
    let rows: Vec<u32> = (0..keys.len())
        .filter(|&i| cols.iter().all(|c| c.writable(i)))
        .filter(|&i| cols.iter().any(|c| c.mask.is_none_or(|m| m[i] != 0)))
        .map(|i| i as u32)
        .collect();
    let call = WriteCall {
        policy,
        attrs,
        keys,
        rows: &rows,
        ops: |i: u32, buf: &mut Vec<u8>| {
            cols.iter().filter(|c| c.put_op(i as usize, buf)).count() as u16
        },
    };
    match direct.write(client, call).await {
        Ok(Some(status)) => Ok(Some(
            status
                .into_iter()
                .map(|s| if s == -1 { code::ERR_PARAM } else { s })
                .collect(),
        )),
        Ok(None) => Ok(None),
        // A write that timed out may have happened.
        Err(e) => Err(js_error(e.code, e.code == code::ERR_TIMEOUT, e.message)),
    }
}

#[napi]
impl NativeClient {
    /// Columnar batch write: keys and one array per bin in; one result code per row out
    /// (`ERR_PARAM` for a row with no bin to write, or a string cut inside a character).
    #[napi(ts_return_type = "Promise<Int32Array>")]
    pub fn batch_write_columns<'env>(
        &self,
        env: &'env Env,
        req: BufferSlice,
    ) -> napi::Result<PromiseRaw<'env, Int32Array>> {
        let client = self.client_now().map_err(|f| f.into_napi(env))?;
        let direct = self.direct.clone();
        let req = req.to_vec();
        promise(env, async move {
            let mut r = Reader::new(&req);
            let (policy, _) = policy::batch(&mut r)?;
            let write = policy::write(&mut r)?;
            let n = r.count()?;
            let mut keys = Vec::with_capacity(n);
            for _ in 0..n {
                keys.push(read_key(&mut r)?);
            }
            let ncols = r.count()?;
            let mut cols = Vec::with_capacity(ncols);
            for _ in 0..ncols {
                cols.push(WriteColumn::read(&mut r, n)?);
            }
            if let Some(attrs) = direct_attrs(&policy, &write) {
                let on_path = (&policy, attrs);
                if let Some(codes) = write_direct(&client, &direct, on_path, &keys, &cols).await? {
                    return Ok(codes.into());
                }
            }
            let row_policy = write_policy(&write);
            let mut codes = vec![code::ERR_PARAM; n];
            let mut rows = Vec::with_capacity(n);
            let mut sent = Vec::with_capacity(n);
            for (i, key) in keys.into_iter().enumerate() {
                let bins: Option<Vec<Bin>> = cols
                    .iter()
                    .filter(|c| c.mask.is_none_or(|m| m[i] != 0))
                    .map(|c| c.bin(i))
                    .collect();
                match bins {
                    Some(bins) if !bins.is_empty() => {
                        let ops: Vec<_> = bins.iter().map(operations::put).collect();
                        rows.push(BatchOperation::write(&row_policy, key, ops));
                        sent.push(i);
                    }
                    _ => {}
                }
            }
            if !rows.is_empty() {
                if let Err(e) = client.batch(&policy, &mut rows).await {
                    if rows.iter().all(|row| row.result_code().is_none()) {
                        return Err(from_aerospike(&e));
                    }
                }
            }
            for (row, i) in rows.iter().zip(sent) {
                codes[i] = row
                    .result_code()
                    .map_or(code::ERR_TIMEOUT, |rc| u8::from(rc) as i32);
            }
            Ok(codes.into())
        })
    }

    /// How many `batchWriteColumns` calls went out on the columnar path's own connections (the
    /// others ran through the crate's batch). A diagnostic for tests.
    #[napi]
    pub fn columnar_direct_writes(&self) -> f64 {
        self.direct.writes_served() as f64
    }
}
