//! Columnar batch reads: turn the rows of a batch read into one typed column per bin plus
//! per-row status, generation and TTL arrays, without building any per-record object.
//!
//! This crate holds the logic (plain Rust, unit-tested without Node); the napi glue only moves
//! the finished vectors into JavaScript typed arrays.
//!
//! Rules (documented for users in `docs/columnar.md`):
//! - A row whose record was not found (or failed) has `status != 0`; every column is invalid
//!   in that row.
//! - A missing bin is invalid in that row.
//! - Invalid slots hold `NaN` in `f64` columns and `0` elsewhere; the validity mask tells them
//!   apart from a stored zero.
//! - Conversions: `f64` takes floats and integers (integers beyond ±2^53 round to the nearest
//!   double); `i64` takes integers; `i32` takes integers within the i32 range; `bool` takes
//!   booleans and the integers 0 and 1. Any other value is masked invalid and counted in that
//!   column's `mismatched`.

use aerospike::{BatchOperation, ResultCode, Value};

/// The element type of one column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnType {
    /// 64-bit float (`Float64Array`).
    F64,
    /// 64-bit integer (`BigInt64Array`).
    I64,
    /// 32-bit integer (`Int32Array`).
    I32,
    /// Boolean as 0/1 (`Uint8Array`).
    Bool,
}

impl ColumnType {
    /// Parses the names users write in a column spec.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "f64" | "float64" | "double" => Some(ColumnType::F64),
            "i64" | "int64" | "bigint" => Some(ColumnType::I64),
            "i32" | "int32" => Some(ColumnType::I32),
            "bool" | "boolean" => Some(ColumnType::Bool),
            _ => None,
        }
    }
}

/// The values of one column.
#[derive(Debug, Clone, PartialEq)]
pub enum ColumnData {
    F64(Vec<f64>),
    I64(Vec<i64>),
    I32(Vec<i32>),
    Bool(Vec<u8>),
}

/// One filled column.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// The bin this column reads.
    pub bin: String,
    /// One value per row.
    pub data: ColumnData,
    /// 1 where the row holds a value of the column's type (or a convertible one), else 0.
    pub valid: Vec<u8>,
    /// Rows whose bin held a value of another, non-convertible type.
    pub mismatched: u32,
}

/// The result of a columnar batch read.
#[derive(Debug, Clone, PartialEq)]
pub struct Columns {
    /// Per-row result code: 0 found, 2 not found, 27 filtered out, other codes for errors,
    /// -1 when the row got no answer at all.
    pub status: Vec<i32>,
    /// Per-row generation (0 when not found).
    pub generation: Vec<u32>,
    /// Per-row TTL in seconds; -1 = never expires; 0 when not found.
    pub ttl: Vec<i32>,
    /// One column per requested bin, in request order.
    pub columns: Vec<Column>,
}

/// Fills the columns from executed batch rows.
pub fn fill(spec: &[(String, ColumnType)], rows: &[BatchOperation]) -> Columns {
    let n = rows.len();
    let mut status = Vec::with_capacity(n);
    let mut generation = Vec::with_capacity(n);
    let mut ttl = Vec::with_capacity(n);
    let mut cols: Vec<Column> = spec
        .iter()
        .map(|(bin, ty)| Column {
            bin: bin.clone(),
            data: match ty {
                ColumnType::F64 => ColumnData::F64(Vec::with_capacity(n)),
                ColumnType::I64 => ColumnData::I64(Vec::with_capacity(n)),
                ColumnType::I32 => ColumnData::I32(Vec::with_capacity(n)),
                ColumnType::Bool => ColumnData::Bool(Vec::with_capacity(n)),
            },
            valid: Vec::with_capacity(n),
            mismatched: 0,
        })
        .collect();

    for row in rows {
        let code = match row.result_code() {
            Some(rc) => u8::from(rc) as i32,
            None => -1,
        };
        let record = if code == u8::from(ResultCode::Ok) as i32 {
            row.record()
        } else {
            None
        };
        status.push(code);
        generation.push(record.map_or(0, |r| r.generation));
        ttl.push(record.map_or(0, |r| match r.time_to_live() {
            None => -1,
            Some(d) => d.as_secs().min(i32::MAX as u64) as i32,
        }));
        for col in cols.iter_mut() {
            let value = record.and_then(|r| r.bins.get(&col.bin));
            push(col, value);
        }
    }
    Columns {
        status,
        generation,
        ttl,
        columns: cols,
    }
}

fn push(col: &mut Column, value: Option<&Value>) {
    let mut mismatch = false;
    let ok = match (&mut col.data, value) {
        (ColumnData::F64(v), Some(Value::Float(f))) => {
            v.push(f64::from(f));
            true
        }
        (ColumnData::F64(v), Some(Value::Int(i))) => {
            v.push(*i as f64);
            true
        }
        (ColumnData::I64(v), Some(Value::Int(i))) => {
            v.push(*i);
            true
        }
        (ColumnData::I32(v), Some(Value::Int(i))) if i32::try_from(*i).is_ok() => {
            v.push(*i as i32);
            true
        }
        (ColumnData::Bool(v), Some(Value::Bool(b))) => {
            v.push(*b as u8);
            true
        }
        (ColumnData::Bool(v), Some(Value::Int(i @ (0 | 1)))) => {
            v.push(*i as u8);
            true
        }
        (data, other) => {
            mismatch = other.is_some();
            match data {
                ColumnData::F64(v) => v.push(f64::NAN),
                ColumnData::I64(v) => v.push(0),
                ColumnData::I32(v) => v.push(0),
                ColumnData::Bool(v) => v.push(0),
            }
            false
        }
    };
    col.valid.push(ok as u8);
    col.mismatched += mismatch as u32;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn col(ty: ColumnType) -> Column {
        let data = match ty {
            ColumnType::F64 => ColumnData::F64(vec![]),
            ColumnType::I64 => ColumnData::I64(vec![]),
            ColumnType::I32 => ColumnData::I32(vec![]),
            ColumnType::Bool => ColumnData::Bool(vec![]),
        };
        Column {
            bin: "x".into(),
            data,
            valid: vec![],
            mismatched: 0,
        }
    }

    #[test]
    fn f64_column_takes_floats_and_ints_and_masks_the_rest() {
        let mut c = col(ColumnType::F64);
        push(&mut c, Some(&Value::from(1.5)));
        push(&mut c, Some(&Value::Int(3)));
        push(&mut c, None);
        push(&mut c, Some(&Value::from("s")));
        let ColumnData::F64(v) = &c.data else {
            panic!()
        };
        assert_eq!(&v[..2], &[1.5, 3.0]);
        assert!(v[2].is_nan() && v[3].is_nan());
        assert_eq!(c.valid, vec![1, 1, 0, 0]);
        assert_eq!(c.mismatched, 1);
    }

    #[test]
    fn integer_columns_keep_edges_and_range_check_i32() {
        let mut c = col(ColumnType::I64);
        push(&mut c, Some(&Value::Int(i64::MIN)));
        push(&mut c, Some(&Value::Int(i64::MAX)));
        push(&mut c, Some(&Value::from(1.0)));
        assert_eq!(c.data, ColumnData::I64(vec![i64::MIN, i64::MAX, 0]));
        assert_eq!((c.valid.clone(), c.mismatched), (vec![1, 1, 0], 1));

        let mut c = col(ColumnType::I32);
        push(&mut c, Some(&Value::Int(i32::MAX as i64)));
        push(&mut c, Some(&Value::Int(i32::MAX as i64 + 1)));
        push(&mut c, Some(&Value::Int(-5)));
        assert_eq!(c.data, ColumnData::I32(vec![i32::MAX, 0, -5]));
        assert_eq!((c.valid.clone(), c.mismatched), (vec![1, 0, 1], 1));
    }

    #[test]
    fn bool_column_takes_bools_and_zero_one() {
        let mut c = col(ColumnType::Bool);
        for v in [
            Value::Bool(true),
            Value::Bool(false),
            Value::Int(1),
            Value::Int(2),
        ] {
            push(&mut c, Some(&v));
        }
        assert_eq!(c.data, ColumnData::Bool(vec![1, 0, 1, 0]));
        assert_eq!((c.valid.clone(), c.mismatched), (vec![1, 1, 1, 0], 1));
    }

    #[test]
    fn parses_type_names() {
        assert_eq!(ColumnType::parse("f64"), Some(ColumnType::F64));
        assert_eq!(ColumnType::parse("bigint"), Some(ColumnType::I64));
        assert_eq!(ColumnType::parse("i32"), Some(ColumnType::I32));
        assert_eq!(ColumnType::parse("bool"), Some(ColumnType::Bool));
        assert_eq!(ColumnType::parse("f32"), None);
    }

    #[test]
    fn unexecuted_rows_are_invalid_everywhere() {
        let key = aerospike::Key::new("test", "s", Value::from("k")).unwrap();
        let rows = vec![BatchOperation::read(
            &Default::default(),
            key,
            aerospike::Bins::All,
        )];
        let out = fill(
            &[("a".into(), ColumnType::F64), ("b".into(), ColumnType::I64)],
            &rows,
        );
        assert_eq!(out.status, vec![-1]);
        assert_eq!(out.generation, vec![0]);
        assert_eq!(out.columns[0].valid, vec![0]);
        assert_eq!(out.columns[1].data, ColumnData::I64(vec![0]));
        assert_eq!(out.columns[1].mismatched, 0);
    }
}
