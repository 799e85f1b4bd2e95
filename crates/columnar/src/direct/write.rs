//! Columnar writes on the direct path: the rows go to the node that masters each key's
//! partition as one batch-index request per node, encoded straight from the caller's columns
//! ([`crate::write_wire`]), over this reader's own connections; the reply gives one result code
//! per row. That skips the crate's `Bin`, `Value`, operation and batch-record objects per row,
//! which cost more than the server's work on small records.
//!
//! The path declines (the caller runs the crate's batch) when the namespace or a partition has
//! no known master. Once a node's request was sent, its rows are not sent again through the
//! crate (a write may have happened): rows that got no answer take their node's error code, and
//! a call where no row got an answer fails with the first error, as the crate's batch does. A
//! connection that breaks is replaced and the node's request sent again up to `maxRetries`
//! times, as the crate's batch write does.

use super::*;
use crate::write_wire::{encode_write_request, WriteAttrs, WriteRow};

/// What a columnar write asks of every row (the policy's part) and of each row (its ops).
pub struct WriteCall<'a, F> {
    pub policy: &'a BatchPolicy,
    pub attrs: WriteAttrs,
    pub keys: &'a [Key],
    /// The positions in `keys` of the rows to write (the others are left out).
    pub rows: &'a [u32],
    /// Appends the WRITE ops of the row at a position in `keys`; returns how many.
    pub ops: F,
}

/// A key's user key as the KEY field carries it (integers, strings and blobs).
fn user_key(key: &Key) -> Option<(u8, Vec<u8>)> {
    use aerospike::Value;
    use aerospike_cdt::wire::particle;
    match key.user_key()? {
        Value::Int(i) => Some((particle::INTEGER, i.to_be_bytes().to_vec())),
        Value::String(s) => Some((particle::STRING, s.as_bytes().to_vec())),
        Value::Blob(b) => Some((particle::BLOB, b.clone())),
        _ => None,
    }
}

impl DirectReader {
    /// Columnar writes this path sent (the crate's batch ran every other one).
    pub fn writes_served(&self) -> u64 {
        self.writes.load(Ordering::Relaxed)
    }

    /// Writes the rows of `call`: one result code per key (-1 for a key left out), or
    /// `Ok(None)` when this path declines (see the module comment).
    pub async fn write<F>(
        &self,
        client: &Client,
        call: WriteCall<'_, F>,
    ) -> Result<Option<Vec<i32>>, DirectError>
    where
        F: Fn(u32, &mut Vec<u8>) -> u16,
    {
        let keys = call.keys;
        if call.rows.is_empty() {
            return Ok(Some(vec![-1; keys.len()]));
        }
        let Some(Reach {
            nodes,
            dialer,
            creds,
            routes,
            connect_timeout,
        }) = self.reach(client).await?
        else {
            return Ok(None);
        };
        let digests: Vec<[u8; 20]> = call
            .rows
            .iter()
            .map(|&i| keys[i as usize].digest())
            .collect();
        let user_keys: Vec<Option<(u8, Vec<u8>)>> = match call.attrs.send_key {
            true => call
                .rows
                .iter()
                .map(|&i| user_key(&keys[i as usize]))
                .collect(),
            false => vec![None; call.rows.len()],
        };
        let mut per_node: Vec<Vec<WriteRow<'_>>> = (0..nodes.len()).map(|_| Vec::new()).collect();
        for (at, &i) in call.rows.iter().enumerate() {
            let key = &keys[i as usize];
            let d = &digests[at];
            let pid = (u16::from_le_bytes([d[0], d[1]]) as usize) & (PARTITIONS - 1);
            let node = match routes.owners.get(key.namespace()).map(|o| o[pid]) {
                Some(n) if (n as usize) < nodes.len() => n as usize,
                _ => return Ok(None),
            };
            per_node[node].push(WriteRow {
                row: Row {
                    index: i,
                    namespace: key.namespace(),
                    set: key.set_name(),
                    digest: d,
                },
                user_key: user_keys[at].as_ref().map(|(p, b)| (*p, b.as_slice())),
            });
        }
        self.writes.fetch_add(1, Ordering::Relaxed);
        let req_policy = request_policy(call.policy);
        let out = ColumnReplies::new(&[], Columns::empty(&[], keys.len()));
        let work = nodes
            .iter()
            .zip(&per_node)
            .filter(|(_, rows)| !rows.is_empty())
            .map(|(node, rows)| {
                let mut req = Vec::with_capacity(64 + rows.len() * 128);
                encode_write_request(&mut req, &req_policy, &call.attrs, rows, &call.ops);
                let run = self.run_node(
                    node,
                    req,
                    &out,
                    call.policy,
                    connect_timeout,
                    creds.as_deref(),
                    &dialer,
                );
                async move { (rows, run.await) }
            });
        let all = futures::future::join_all(work);
        let results = match ms(call.policy.base_policy.total_timeout) {
            Some(d) => tokio::time::timeout(d, all)
                .await
                .map_err(|_| DirectError::new(ERR_TIMEOUT, "batch write total timeout"))?,
            None => all.await,
        };
        let mut status = out.into_columns().status;
        let answered = call.rows.iter().any(|&i| status[i as usize] != -1);
        let mut first_error = None;
        for (rows, result) in results {
            let Err(e) = result else { continue };
            for r in rows.iter() {
                let s = &mut status[r.row.index as usize];
                if *s == -1 {
                    *s = e.code;
                }
            }
            first_error.get_or_insert(e);
        }
        match first_error {
            Some(e) if !answered => Err(e),
            _ => Ok(Some(status)),
        }
    }
}
