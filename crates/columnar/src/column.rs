//! One column: its values in the layout JavaScript and Arrow read (fixed-width arrays, or
//! offsets plus one data buffer for variable-length values), its validity mask, and the rules
//! for which values it takes.

use crate::cell::{Item, Scalar};
use crate::ColumnType;

/// The most elements (bytes, or list items) one variable-length column holds: its offsets are
/// 32-bit, as in Arrow's `Utf8`, `Binary` and `List` layouts.
pub const MAX_COLUMN_DATA: usize = i32::MAX as usize;

/// Variable-length values stored as rows arrive. Rows of a batch come back in any order (and a
/// row may be answered again), so each row remembers where its value sits; [`Spans::finish`]
/// puts them in row order, without a copy when they already are.
#[derive(Debug, Clone, PartialEq)]
pub struct Spans<T> {
    /// (start, length) of each row's value in `data`.
    spans: Vec<(u32, u32)>,
    data: Vec<T>,
    limit: usize,
}

impl<T: Copy> Spans<T> {
    pub fn new(rows: usize) -> Self {
        Spans {
            spans: vec![(0, 0); rows],
            data: Vec::new(),
            limit: MAX_COLUMN_DATA,
        }
    }

    /// The same, holding at most `limit` elements (for tests of the size rule).
    pub fn with_limit(rows: usize, limit: usize) -> Self {
        Spans {
            limit: limit.min(MAX_COLUMN_DATA),
            ..Spans::new(rows)
        }
    }

    fn clear(&mut self, row: usize) {
        self.spans[row] = (0, 0);
    }

    /// Appends the value `fill` writes as row `row`'s; `fill` returns false to refuse it (then
    /// nothing is kept), and a value that would take the column past its limit is refused.
    fn push(&mut self, row: usize, fill: impl FnOnce(&mut Vec<T>) -> bool) -> bool {
        let start = self.data.len();
        if !fill(&mut self.data) || self.data.len() > self.limit {
            self.data.truncate(start);
            self.spans[row] = (0, 0);
            return false;
        }
        self.spans[row] = (start as u32, (self.data.len() - start) as u32);
        true
    }

    /// Grows (with empty rows) or shrinks to `rows` rows; the data of dropped rows stays until
    /// [`Spans::finish`], which copies only what the kept rows point at.
    fn resize(&mut self, rows: usize) {
        self.spans.resize(rows, (0, 0));
    }

    /// Row `row`'s value.
    pub fn get(&self, row: usize) -> &[T] {
        let (s, n) = self.spans[row];
        &self.data[s as usize..(s + n) as usize]
    }

    /// Arrow offsets (rows + 1 of them) and the data in row order.
    pub fn finish(self) -> (Vec<i32>, Vec<T>) {
        let mut offsets = Vec::with_capacity(self.spans.len() + 1);
        offsets.push(0i32);
        let mut end = 0u32;
        let mut in_order = true;
        for &(s, n) in &self.spans {
            in_order &= n == 0 || s == end;
            end += n;
            offsets.push(end as i32);
        }
        if in_order {
            let mut data = self.data;
            data.truncate(end as usize);
            return (offsets, data);
        }
        let mut data = Vec::with_capacity(end as usize);
        for row in 0..self.spans.len() {
            data.extend_from_slice(self.get(row));
        }
        (offsets, data)
    }
}

/// The values of one column.
#[derive(Debug, Clone, PartialEq)]
pub enum ColumnData {
    F64(Vec<f64>),
    I64(Vec<i64>),
    I32(Vec<i32>),
    Bool(Vec<u8>),
    /// `str`, `bytes` and `geojson`: the values' bytes.
    Bytes(Spans<u8>),
    ListF64(Spans<f64>),
    ListI64(Spans<i64>),
}

impl ColumnData {
    /// `n` invalid slots of `ty`.
    pub fn empty(ty: ColumnType, n: usize) -> ColumnData {
        match ty {
            ColumnType::F64 => ColumnData::F64(vec![f64::NAN; n]),
            ColumnType::I64 => ColumnData::I64(vec![0; n]),
            ColumnType::I32 => ColumnData::I32(vec![0; n]),
            ColumnType::Bool => ColumnData::Bool(vec![0; n]),
            ColumnType::Str | ColumnType::Bytes | ColumnType::Geo => {
                ColumnData::Bytes(Spans::new(n))
            }
            ColumnType::ListF64 => ColumnData::ListF64(Spans::new(n)),
            ColumnType::ListI64 => ColumnData::ListI64(Spans::new(n)),
        }
    }
}

/// One filled column.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// The bin this column reads.
    pub bin: String,
    /// The requested type.
    pub ty: ColumnType,
    /// One value per row.
    pub data: ColumnData,
    /// 1 where the row holds a value of the column's type (or a convertible one), else 0.
    pub valid: Vec<u8>,
    /// Rows whose bin held a value of another, non-convertible type (or too large a one).
    pub mismatched: u32,
}

impl Column {
    pub fn new(bin: String, ty: ColumnType, n: usize) -> Column {
        Column {
            bin,
            ty,
            data: ColumnData::empty(ty, n),
            valid: vec![0; n],
            mismatched: 0,
        }
    }

    /// Grows (with invalid slots) or shrinks to `rows` rows: a scan's batch grows as records
    /// arrive and its last one keeps only the rows it got.
    pub fn resize(&mut self, rows: usize) {
        match &mut self.data {
            ColumnData::F64(v) => v.resize(rows, f64::NAN),
            ColumnData::I64(v) => v.resize(rows, 0),
            ColumnData::I32(v) => v.resize(rows, 0),
            ColumnData::Bool(v) => v.resize(rows, 0),
            ColumnData::Bytes(s) => s.resize(rows),
            ColumnData::ListF64(s) => s.resize(rows),
            ColumnData::ListI64(s) => s.resize(rows),
        }
        self.valid.resize(rows, 0);
    }

    /// Writes one slot: a convertible value makes it valid; anything else leaves it invalid
    /// (NaN / 0 / empty) and a present-but-unconvertible value is counted in `mismatched`.
    pub fn put(&mut self, row: usize, value: Option<Scalar<'_>>) {
        let ok = value.is_some_and(|v| self.take(row, v));
        if !ok {
            if value.is_some() {
                self.mismatched += 1;
            }
            match &mut self.data {
                ColumnData::F64(v) => v[row] = f64::NAN,
                ColumnData::I64(v) => v[row] = 0,
                ColumnData::I32(v) => v[row] = 0,
                ColumnData::Bool(v) => v[row] = 0,
                ColumnData::Bytes(s) => s.clear(row),
                ColumnData::ListF64(s) => s.clear(row),
                ColumnData::ListI64(s) => s.clear(row),
            }
        }
        self.valid[row] = ok as u8;
    }

    /// Stores `value` if the column takes it.
    fn take(&mut self, row: usize, value: Scalar<'_>) -> bool {
        let ty = self.ty;
        match (&mut self.data, value) {
            (ColumnData::F64(v), Scalar::Float(f)) => v[row] = f,
            (ColumnData::F64(v), Scalar::Int(i)) => v[row] = i as f64,
            (ColumnData::I64(v), Scalar::Int(i)) => v[row] = i,
            (ColumnData::I32(v), Scalar::Int(i)) if i32::try_from(i).is_ok() => v[row] = i as i32,
            (ColumnData::Bool(v), Scalar::Bool(b)) => v[row] = b as u8,
            (ColumnData::Bool(v), Scalar::Int(i @ (0 | 1))) => v[row] = i as u8,
            (ColumnData::Bytes(s), Scalar::Str(b)) if ty == ColumnType::Str => {
                return s.push(row, |d| fits(d, b))
            }
            (ColumnData::Bytes(s), Scalar::Blob(b)) if ty == ColumnType::Bytes => {
                return s.push(row, |d| fits(d, b))
            }
            (ColumnData::Bytes(s), Scalar::Geo(b)) if ty == ColumnType::Geo => {
                return s.push(row, |d| fits(d, b))
            }
            (ColumnData::ListF64(s), Scalar::List(l)) => {
                return s.push(row, |d| {
                    l.each(|item| match item {
                        Item::Float(f) => push_within(d, f),
                        Item::Int(i) => push_within(d, i as f64),
                        Item::Other => false,
                    })
                })
            }
            (ColumnData::ListI64(s), Scalar::List(l)) => {
                return s.push(row, |d| {
                    l.each(|item| match item {
                        Item::Int(i) => push_within(d, i),
                        _ => false,
                    })
                })
            }
            _ => return false,
        }
        true
    }
}

/// Appends `b` unless that would take the column past [`MAX_COLUMN_DATA`].
fn fits(d: &mut Vec<u8>, b: &[u8]) -> bool {
    if d.len() + b.len() > MAX_COLUMN_DATA {
        return false;
    }
    d.extend_from_slice(b);
    true
}

fn push_within<T>(d: &mut Vec<T>, v: T) -> bool {
    if d.len() >= MAX_COLUMN_DATA {
        return false;
    }
    d.push(v);
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cell::List;
    use aerospike::Value;

    fn put_all(ty: ColumnType, values: &[Option<Scalar<'_>>]) -> Column {
        let mut c = Column::new("x".into(), ty, values.len());
        for (row, v) in values.iter().enumerate() {
            c.put(row, *v);
        }
        c
    }

    #[test]
    fn string_columns_take_their_own_kind_only() {
        let c = put_all(
            ColumnType::Str,
            &[
                Some(Scalar::Str(b"ab")),
                None,
                Some(Scalar::Blob(b"zz")),
                Some(Scalar::Str(b"")),
                Some(Scalar::Str("é".as_bytes())),
            ],
        );
        assert_eq!((c.valid.clone(), c.mismatched), (vec![1, 0, 0, 1, 1], 1));
        let ColumnData::Bytes(s) = c.data else {
            panic!()
        };
        assert_eq!(
            s.finish(),
            (vec![0, 2, 2, 2, 2, 4], "abé".as_bytes().to_vec())
        );
        let c = put_all(ColumnType::Bytes, &[Some(Scalar::Str(b"s"))]);
        assert_eq!(c.mismatched, 1);
        let c = put_all(ColumnType::Geo, &[Some(Scalar::Geo(b"{}"))]);
        assert_eq!(c.valid, vec![1]);
    }

    #[test]
    fn rows_arriving_out_of_order_are_put_in_row_order() {
        let mut c = Column::new("x".into(), ColumnType::Str, 3);
        c.put(2, Some(Scalar::Str(b"cc")));
        c.put(0, Some(Scalar::Str(b"a")));
        c.put(1, Some(Scalar::Str(b"bbb")));
        c.put(1, None); // answered again, now missing
        let ColumnData::Bytes(s) = c.data else {
            panic!()
        };
        assert_eq!(s.finish(), (vec![0, 1, 1, 3], b"acc".to_vec()));
    }

    #[test]
    fn list_columns_take_numeric_lists_whole_or_not_at_all() {
        let good = [Value::Int(1), Value::Float(2.5.into())];
        let ints = [Value::Int(7), Value::Int(-8)];
        let bad = [Value::Int(1), Value::from("x")];
        let c = put_all(
            ColumnType::ListF64,
            &[
                Some(Scalar::List(List::Values(&good))),
                Some(Scalar::List(List::Values(&bad))),
                Some(Scalar::Int(3)),
            ],
        );
        assert_eq!((c.valid.clone(), c.mismatched), (vec![1, 0, 0], 2));
        let ColumnData::ListF64(s) = c.data else {
            panic!()
        };
        assert_eq!(s.finish(), (vec![0, 2, 2, 2], vec![1.0, 2.5]));
        let c = put_all(
            ColumnType::ListI64,
            &[
                Some(Scalar::List(List::Values(&good))),
                Some(Scalar::List(List::Values(&ints))),
                Some(Scalar::List(List::Values(&[]))),
            ],
        );
        assert_eq!(c.valid, vec![0, 1, 1]);
        let ColumnData::ListI64(s) = c.data else {
            panic!()
        };
        assert_eq!(s.finish(), (vec![0, 0, 2, 2], vec![7, -8]));
    }

    #[test]
    fn a_value_past_the_column_limit_is_refused() {
        let mut c = Column::new("x".into(), ColumnType::Str, 3);
        c.data = ColumnData::Bytes(Spans::with_limit(3, 4));
        c.put(0, Some(Scalar::Str(b"abc")));
        c.put(1, Some(Scalar::Str(b"de")));
        c.put(2, Some(Scalar::Str(b"f")));
        assert_eq!((c.valid.clone(), c.mismatched), (vec![1, 0, 1], 1));
        let ColumnData::Bytes(s) = c.data else {
            panic!()
        };
        assert_eq!(s.finish(), (vec![0, 3, 3, 4], b"abcf".to_vec()));
    }
}
