//! Columns from the records of a scan or query, one batch at a time: the bins of the spec, the
//! metadata, each record's digest (20 bytes per row, back to back) and, when the records carry
//! the user keys they were written with, a user-key column.

use aerospike::{Record, Value};

use crate::{Column, ColumnType, Columns, Scalar};

/// One batch of records as columns.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordColumns {
    pub columns: Columns,
    /// 20 bytes per row.
    pub digests: Vec<u8>,
    /// The user keys, when any record carries one: an `i64`, `str` or `bytes` column after the
    /// first key seen; keys of another type are invalid in their rows (and counted).
    pub user_key: Option<Column>,
}

/// The TTL columns report for a record: -1 when it never expires.
pub fn ttl_of(r: &Record) -> i32 {
    match r.time_to_live() {
        None => -1,
        Some(d) => d.as_secs().min(i32::MAX as u64) as i32,
    }
}

/// Fills the columns of `spec` from `records`, one row each, in order.
pub fn from_records(spec: &[(String, ColumnType)], records: &[Record]) -> RecordColumns {
    let n = records.len();
    let mut columns = Columns::empty(spec, n);
    let mut digests = Vec::with_capacity(n * 20);
    let mut user_key: Option<Column> = None;
    for (row, r) in records.iter().enumerate() {
        columns.set_row(row, 0, r.generation, ttl_of(r));
        for (c, (bin, _)) in spec.iter().enumerate() {
            if let Some(v) = r.bins.get(bin).and_then(Scalar::of) {
                columns.set_value(row, c, v);
            }
        }
        let key = r.key.as_ref();
        digests.extend_from_slice(&key.map_or([0; 20], |k| k.digest()));
        let Some(k) = key.and_then(|k| k.user_key()) else {
            continue;
        };
        let col = user_key.get_or_insert_with(|| {
            let ty = match k {
                Value::Int(_) => ColumnType::I64,
                Value::Blob(_) => ColumnType::Bytes,
                _ => ColumnType::Str,
            };
            Column::new("userKey".into(), ty, n)
        });
        col.put(row, Scalar::of(k));
    }
    RecordColumns {
        columns,
        digests,
        user_key,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ColumnData;
    use aerospike::{IndexMap, Key};

    fn record(key: Option<Key>, bins: &[(&str, Value)]) -> Record {
        let bins: IndexMap<String, Value> = bins
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect();
        Record::new(key, bins, None, 3, 0)
    }

    #[test]
    fn records_become_rows_with_digests_and_user_keys() {
        let k1 = Key::new("test", "s", Value::Int(5)).unwrap();
        let k2 = Key::new("test", "s", Value::from("x")).unwrap();
        let digest_only = Key::with_digest("test", "s", None, [7; 20]);
        let recs = vec![
            record(Some(k1.clone()), &[("a", Value::Int(1))]),
            record(Some(k2), &[("a", Value::from("no"))]),
            record(Some(digest_only.clone()), &[]),
        ];
        let out = from_records(&[("a".into(), ColumnType::I64)], &recs);
        assert_eq!(out.columns.status, vec![0, 0, 0]);
        assert_eq!(out.columns.generation, vec![3, 3, 3]);
        assert_eq!(out.columns.ttl, vec![-1, -1, -1]);
        assert_eq!(out.columns.columns[0].valid, vec![1, 0, 0]);
        assert_eq!(out.columns.columns[0].mismatched, 1);
        assert_eq!(&out.digests[..20], &k1.digest());
        assert_eq!(&out.digests[40..], &digest_only.digest());
        let uk = out.user_key.unwrap();
        assert_eq!(uk.data, ColumnData::I64(vec![5, 0, 0]));
        assert_eq!((uk.valid, uk.mismatched), (vec![1, 0, 0], 1));
        let none = from_records(&[], &[record(None, &[])]);
        assert_eq!((none.digests, none.user_key), (vec![0; 20], None));
    }
}
