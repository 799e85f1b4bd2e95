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
//!   booleans and the integers 0 and 1; `str`, `bytes` and `geojson` take strings, blobs and
//!   GeoJSON values respectively (no conversion between them); `list<f64>` takes lists of
//!   numbers and `list<i64>` lists of integers, whole (one element of another type refuses the
//!   list). Any other value is masked invalid and counted in that column's `mismatched`.
//! - Variable-length columns hold at most 2^31−1 bytes (list items) in all, as Arrow's 32-bit
//!   offsets allow; a value past that is masked invalid and counted in `mismatched`.

use aerospike::{BatchOperation, ResultCode};

pub mod auth;
pub mod cell;
pub mod column;
pub mod conn;
pub mod direct;
pub mod error;
pub mod partitions;
pub mod records;
pub mod scan_columns;
pub mod scan_wire;
pub mod wire;
pub mod write_wire;

pub use cell::Scalar;
pub use column::{Column, ColumnData, Spans};

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
    /// Strings: offsets and UTF-8 bytes.
    Str,
    /// Blobs: offsets and bytes.
    Bytes,
    /// GeoJSON values as their JSON text: offsets and UTF-8 bytes.
    Geo,
    /// Lists of numbers as doubles: offsets and values.
    ListF64,
    /// Lists of integers: offsets and values.
    ListI64,
}

impl ColumnType {
    /// Parses the names users write in a column spec.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "f64" | "float64" | "double" => Some(ColumnType::F64),
            "i64" | "int64" | "bigint" => Some(ColumnType::I64),
            "i32" | "int32" => Some(ColumnType::I32),
            "bool" | "boolean" => Some(ColumnType::Bool),
            "str" | "string" => Some(ColumnType::Str),
            "bytes" | "blob" => Some(ColumnType::Bytes),
            "geojson" => Some(ColumnType::Geo),
            "list<f64>" => Some(ColumnType::ListF64),
            "list<i64>" => Some(ColumnType::ListI64),
            _ => None,
        }
    }

    /// The canonical name (what `parse` reads back).
    pub fn name(self) -> &'static str {
        match self {
            ColumnType::F64 => "f64",
            ColumnType::I64 => "i64",
            ColumnType::I32 => "i32",
            ColumnType::Bool => "bool",
            ColumnType::Str => "str",
            ColumnType::Bytes => "bytes",
            ColumnType::Geo => "geojson",
            ColumnType::ListF64 => "list<f64>",
            ColumnType::ListI64 => "list<i64>",
        }
    }
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

impl Columns {
    /// `n` rows, every row unanswered (status -1) and every slot invalid.
    pub fn empty(spec: &[(String, ColumnType)], n: usize) -> Columns {
        Columns {
            status: vec![-1; n],
            generation: vec![0; n],
            ttl: vec![0; n],
            columns: spec
                .iter()
                .map(|(bin, ty)| Column::new(bin.clone(), *ty, n))
                .collect(),
        }
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.status.len()
    }

    /// Whether there are no rows.
    pub fn is_empty(&self) -> bool {
        self.status.is_empty()
    }

    /// Records the outcome of row `row`. A row that is not found or failed keeps every slot
    /// invalid, so a row answered twice (duplicate rows never are, but a confused server might)
    /// is reset first.
    pub fn set_row(&mut self, row: usize, status: i32, generation: u32, ttl: i32) {
        if self.status[row] == 0 {
            for col in &mut self.columns {
                col.put(row, None);
            }
        }
        self.status[row] = status;
        let found = status == 0;
        self.generation[row] = if found { generation } else { 0 };
        self.ttl[row] = if found { ttl } else { 0 };
    }

    /// Stores the value of column `col` in row `row` by the conversion rules.
    pub fn set_value(&mut self, row: usize, col: usize, value: Scalar<'_>) {
        self.columns[col].put(row, Some(value));
    }
}

/// Seconds to live from a record's void time (seconds since 2010-01-01): -1 when it never
/// expires, at least 1 otherwise (a record about to expire is still there), as the client crate
/// reports it.
pub fn ttl_from_void_time(void_time: u32, now_unix_secs: u64) -> i32 {
    if void_time == 0 {
        return -1;
    }
    let expires = aerospike::CITRUSLEAF_EPOCH_UNIX_SECS + void_time as u64;
    expires
        .saturating_sub(now_unix_secs)
        .clamp(1, i32::MAX as u64) as i32
}

/// Fills the columns from batch rows executed by the client crate.
pub fn fill(spec: &[(String, ColumnType)], rows: &[BatchOperation]) -> Columns {
    let mut out = Columns::empty(spec, rows.len());
    for (i, row) in rows.iter().enumerate() {
        let Some(rc) = row.result_code() else {
            continue;
        };
        let code = u8::from(rc) as i32;
        let record = if code == u8::from(ResultCode::Ok) as i32 {
            row.record()
        } else {
            None
        };
        let ttl = record.map_or(0, records::ttl_of);
        out.set_row(i, code, record.map_or(0, |r| r.generation), ttl);
        if let Some(r) = record {
            for (c, (bin, _)) in spec.iter().enumerate() {
                if let Some(v) = r.bins.get(bin).and_then(Scalar::of) {
                    out.set_value(i, c, v);
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use aerospike::Value;

    /// One column of `ty` filled with `values` (None = missing bin), one row each.
    fn column(ty: ColumnType, values: &[Option<Scalar>]) -> Column {
        let mut c = Columns::empty(&[("x".into(), ty)], values.len());
        for (row, v) in values.iter().enumerate() {
            c.set_row(row, 0, 1, -1);
            if let Some(v) = v {
                c.set_value(row, 0, *v);
            }
        }
        c.columns.remove(0)
    }

    #[test]
    fn f64_column_takes_floats_and_ints_and_masks_the_rest() {
        let c = column(
            ColumnType::F64,
            &[
                Some(Scalar::Float(1.5)),
                Some(Scalar::Int(3)),
                None,
                Some(Scalar::Other),
            ],
        );
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
        let c = column(
            ColumnType::I64,
            &[
                Some(Scalar::Int(i64::MIN)),
                Some(Scalar::Int(i64::MAX)),
                Some(Scalar::Float(1.0)),
            ],
        );
        assert_eq!(c.data, ColumnData::I64(vec![i64::MIN, i64::MAX, 0]));
        assert_eq!((c.valid.clone(), c.mismatched), (vec![1, 1, 0], 1));

        let c = column(
            ColumnType::I32,
            &[
                Some(Scalar::Int(i32::MAX as i64)),
                Some(Scalar::Int(i32::MAX as i64 + 1)),
                Some(Scalar::Int(-5)),
            ],
        );
        assert_eq!(c.data, ColumnData::I32(vec![i32::MAX, 0, -5]));
        assert_eq!((c.valid.clone(), c.mismatched), (vec![1, 0, 1], 1));
    }

    #[test]
    fn bool_column_takes_bools_and_zero_one() {
        let vals: Vec<_> = [
            Scalar::Bool(true),
            Scalar::Bool(false),
            Scalar::Int(1),
            Scalar::Int(2),
        ]
        .into_iter()
        .map(Some)
        .collect();
        let c = column(ColumnType::Bool, &vals);
        assert_eq!(c.data, ColumnData::Bool(vec![1, 0, 1, 0]));
        assert_eq!((c.valid.clone(), c.mismatched), (vec![1, 1, 1, 0], 1));
    }

    #[test]
    fn nil_is_a_missing_bin_not_a_mismatch() {
        assert_eq!(Scalar::of(&Value::Nil), None);
        assert_eq!(Scalar::of(&Value::Hll(vec![1])), Some(Scalar::Other));
        assert_eq!(Scalar::of(&Value::Int(4)), Some(Scalar::Int(4)));
    }

    #[test]
    fn a_row_that_turns_out_missing_loses_its_values() {
        let mut c = Columns::empty(&[("x".into(), ColumnType::I64)], 1);
        c.set_row(0, 0, 3, 10);
        c.set_value(0, 0, Scalar::Int(7));
        c.set_row(0, 2, 0, 0);
        assert_eq!((c.status[0], c.generation[0], c.ttl[0]), (2, 0, 0));
        assert_eq!(
            (c.columns[0].valid[0], &c.columns[0].data),
            (0, &ColumnData::I64(vec![0]))
        );
    }

    #[test]
    fn ttl_follows_the_client_crate_rules() {
        let now = aerospike::CITRUSLEAF_EPOCH_UNIX_SECS + 1000;
        assert_eq!(ttl_from_void_time(0, now), -1);
        assert_eq!(ttl_from_void_time(1100, now), 100);
        assert_eq!(ttl_from_void_time(900, now), 1);
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
