//! HyperLogLog operations, by their wire codes (wire protocol reference §7.5).

use aerospike::operations::hll::{self, HllPolicy, HllWriteFlags};
use aerospike::operations::Operation;
use aerospike::Value;

use super::args::{int, list};
use crate::codec::{CodecError, Reader};

const INIT: u8 = 0;
const ADD: u8 = 1;
const SET_UNION: u8 = 2;
const SET_COUNT: u8 = 3;
const FOLD: u8 = 4;
const COUNT: u8 = 50;
const UNION: u8 = 51;
const UNION_COUNT: u8 = 52;
const INTERSECT_COUNT: u8 = 53;
const SIMILARITY: u8 = 54;
const DESCRIBE: u8 = 55;

/// HLL values arrive as Buffers (blobs); the server wants them with the HLL particle type.
fn hll_values(r: &mut Reader<'_>) -> Result<Vec<Value>, CodecError> {
    Ok(list(r)?
        .into_iter()
        .map(|v| match v {
            Value::Blob(b) => Value::Hll(b),
            other => other,
        })
        .collect())
}

/// Reads the HLL operation of wire code `code`.
pub fn op(code: u8, bin: String, r: &mut Reader<'_>) -> Result<Operation, CodecError> {
    enum Args {
        None,
        Bits(i64, i64),
        Add(Vec<Value>, i64, i64),
        Hlls(Vec<Value>),
        Fold(i64),
    }
    let args = match code {
        INIT => Args::Bits(int(r)?, int(r)?),
        ADD => Args::Add(list(r)?, int(r)?, int(r)?),
        SET_UNION | UNION | UNION_COUNT | INTERSECT_COUNT | SIMILARITY => {
            Args::Hlls(hll_values(r)?)
        }
        FOLD => Args::Fold(int(r)?),
        SET_COUNT | COUNT | DESCRIBE => Args::None,
        _ => return Err(CodecError("unknown HLL operation")),
    };
    let p = HllPolicy::new(HllWriteFlags::from_bits(r.u8()?));
    Ok(match (code, args) {
        (INIT, Args::Bits(index, minhash)) => hll::init_with_min_hash(&p, bin, index, minhash),
        (ADD, Args::Add(values, index, minhash)) => {
            hll::add_with_index_and_min_hash(&p, bin, values, index, minhash)
        }
        (SET_UNION, Args::Hlls(list)) => hll::set_union(&p, bin, list),
        (SET_COUNT, _) => hll::refresh_count(bin),
        (FOLD, Args::Fold(index)) => hll::fold(bin, index),
        (COUNT, _) => hll::get_count(bin),
        (UNION, Args::Hlls(list)) => hll::get_union(bin, list),
        (UNION_COUNT, Args::Hlls(list)) => hll::get_union_count(bin, list),
        (INTERSECT_COUNT, Args::Hlls(list)) => hll::get_intersect_count(bin, list),
        (SIMILARITY, Args::Hlls(list)) => hll::get_similarity(bin, list),
        (DESCRIBE, _) => hll::describe(bin),
        _ => return Err(CodecError("unknown HLL operation")),
    })
}
