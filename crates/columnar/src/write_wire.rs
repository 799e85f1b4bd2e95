//! The batch-index request of a columnar write: one full row per record, its bins written as
//! WRITE ops straight from the caller's columns (no `Bin`, `Value` or operation object per
//! row). The reply is that of any batch: one message per row whose code is the row's result
//! ([`crate::wire::read_proto`] reads it with no bins).
//!
//! Layout (docs/aerospike-wire-protocol.md §5.1): the parent AS_MSG with the BATCH flag and the
//! BATCH_INDEX field; each row its index, digest, the INFO|GEN|TTL row flags, info1 0, the
//! write's info2 and info3, generation 0, the record TTL, then the namespace and set fields,
//! the user key where it is sent, and the ops. Rows never repeat: their ops differ.

use aerospike_cdt::wire::batch::{ROW_GEN, ROW_INFO, ROW_TTL};
use aerospike_cdt::wire::msg::{put_field, FIELD_KEY, FIELD_NAMESPACE, FIELD_SET};

use crate::wire::{close_batch, open_batch, RequestPolicy, Row};

/// The write attributes every row carries.
#[derive(Debug, Clone, Copy, Default)]
pub struct WriteAttrs {
    /// WRITE and RESPOND_ALL_OPS, plus CREATE_ONLY where the policy asks.
    pub info2: u8,
    /// UPDATE_ONLY, CREATE_OR_REPLACE or REPLACE_ONLY where the policy asks.
    pub info3: u8,
    /// The record TTL as the protocol carries it (0 namespace default, u32::MAX never, …).
    pub ttl: u32,
    /// Whether rows send their user key.
    pub send_key: bool,
}

/// One row: the record (as a read row names it) and its user key (particle type and bytes), if
/// it has one.
pub struct WriteRow<'a> {
    pub row: Row<'a>,
    pub user_key: Option<(u8, &'a [u8])>,
}

/// Appends the complete request (proto header included) writing `rows`; `ops(index, buf)`
/// appends the WRITE ops of the row at `index` and returns how many it wrote.
pub fn encode_write_request(
    buf: &mut Vec<u8>,
    policy: &RequestPolicy,
    attrs: &WriteAttrs,
    rows: &[WriteRow<'_>],
    mut ops: impl FnMut(u32, &mut Vec<u8>) -> u16,
) {
    let open = open_batch(buf, policy, None, rows.len());
    for WriteRow { row, user_key } in rows {
        buf.extend_from_slice(&row.index.to_be_bytes());
        buf.extend_from_slice(row.digest);
        buf.extend_from_slice(&[ROW_INFO | ROW_GEN | ROW_TTL, 0, attrs.info2, attrs.info3]);
        buf.extend_from_slice(&0u16.to_be_bytes());
        buf.extend_from_slice(&attrs.ttl.to_be_bytes());
        let key = user_key.filter(|_| attrs.send_key);
        buf.extend_from_slice(&(2 + key.is_some() as u16).to_be_bytes());
        let n_ops_at = buf.len();
        buf.extend_from_slice(&[0; 2]);
        put_field(buf, FIELD_NAMESPACE, &[row.namespace.as_bytes()]);
        put_field(buf, FIELD_SET, &[row.set.as_bytes()]);
        if let Some((particle, bytes)) = key {
            put_field(buf, FIELD_KEY, &[&[particle], bytes]);
        }
        let n_ops = ops(row.index, buf);
        buf[n_ops_at..n_ops_at + 2].copy_from_slice(&n_ops.to_be_bytes());
    }
    close_batch(buf, open);
}

#[cfg(test)]
mod tests {
    use super::*;
    use aerospike_cdt::wire::msg::{op_head, INFO2_WRITE};
    use aerospike_cdt::wire::{op, particle, proto};

    #[test]
    fn rows_carry_their_attributes_key_and_ops() {
        let attrs = WriteAttrs {
            info2: INFO2_WRITE,
            info3: 0,
            ttl: 60,
            send_key: true,
        };
        let rows = [
            WriteRow {
                row: Row {
                    index: 3,
                    namespace: "test",
                    set: "s",
                    digest: &[1; 20],
                },
                user_key: Some((particle::STRING, b"k")),
            },
            WriteRow {
                row: Row {
                    index: 9,
                    namespace: "test",
                    set: "s",
                    digest: &[2; 20],
                },
                user_key: None,
            },
        ];
        let mut buf = Vec::new();
        encode_write_request(
            &mut buf,
            &RequestPolicy::default(),
            &attrs,
            &rows,
            |i, b| {
                b.extend_from_slice(&op_head(op::WRITE, particle::INTEGER, 1, 8));
                b.push(b'a');
                b.extend_from_slice(&(i as i64).to_be_bytes());
                1
            },
        );
        let body = &buf[8..];
        assert_eq!(
            proto::split(buf[..8].try_into().unwrap()).2 as usize,
            body.len()
        );
        // Parent header, field size and type, row count, parent flags.
        let rows_at = 22 + 5 + 4 + 1;
        assert_eq!(&body[22 + 5..rows_at - 1], &2u32.to_be_bytes());
        let r0 = &body[rows_at..];
        assert_eq!(&r0[..4], &3u32.to_be_bytes());
        assert_eq!(
            &r0[24..28],
            &[ROW_INFO | ROW_GEN | ROW_TTL, 0, INFO2_WRITE, 0]
        );
        assert_eq!(&r0[30..34], &60u32.to_be_bytes());
        // Three fields (namespace, set, key), one op.
        assert_eq!(&r0[34..38], &[0, 3, 0, 1]);
        let fields = 9 + 6 + 7;
        let op_at = 38 + fields;
        assert_eq!(&r0[op_at + 8..op_at + 17], b"a\0\0\0\0\0\0\0\x03");
        let r1 = &r0[op_at + 17..];
        assert_eq!(&r1[..4], &9u32.to_be_bytes());
        // No user key: two fields.
        assert_eq!(&r1[34..38], &[0, 2, 0, 1]);
        assert_eq!(r1.len(), 38 + 9 + 6 + 17);
    }
}
