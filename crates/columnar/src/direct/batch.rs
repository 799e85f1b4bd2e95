//! A batch read on this path, whatever its reply becomes: the rows are routed to their
//! partitions' masters, one request per node goes out over this path's connections, and each
//! reply proto is handed to a [`Replies`] (columns here; the addon's object batch reads
//! transcode the same protos into its record format).

use super::*;

/// What a batch read's reply protos are given to, node by node as they arrive.
pub trait Replies: Sync {
    /// Reads one proto body (after its 8-byte header); `now_unix_secs` turns void times into
    /// TTLs. An error ends the node's exchange.
    fn proto(&self, body: &[u8], now_unix_secs: u64) -> Result<Progress, ReplyError>;
    /// Whether any row has its answer (a batch where none has fails with its first error).
    fn answered(&self) -> bool;
}

/// One batch read: its policy, what every row reads and the keys, in the caller's order.
pub struct ReadCall<'a> {
    pub policy: &'a BatchPolicy,
    pub request: RequestPolicy,
    pub sel: Selection<'a>,
    pub keys: &'a [Key],
    /// Which failure of a node's exchange makes the whole (idempotent) read go back to the
    /// caller as declined, for the crate's batch to run instead.
    pub decline: fn(&DirectError) -> bool,
}

/// Columns filled from the reply of a read of `names` (and the status of each row for the
/// columnar batch write, which reads no bin).
pub struct ColumnReplies {
    bins: BinIndex,
    cols: Mutex<Columns>,
}

impl ColumnReplies {
    pub fn new(names: &[&str], cols: Columns) -> Self {
        ColumnReplies {
            bins: BinIndex::new(names),
            cols: Mutex::new(cols),
        }
    }

    pub fn into_columns(self) -> Columns {
        self.cols.into_inner().unwrap_or_else(|e| e.into_inner())
    }
}

impl Replies for ColumnReplies {
    fn proto(&self, body: &[u8], now_unix_secs: u64) -> Result<Progress, ReplyError> {
        let mut cols = self.cols.lock().unwrap_or_else(|e| e.into_inner());
        wire::read_proto(body, &self.bins, now_unix_secs, &mut cols)
    }

    fn answered(&self) -> bool {
        let cols = self.cols.lock().unwrap_or_else(|e| e.into_inner());
        cols.status.iter().any(|s| *s != -1)
    }
}

impl DirectReader {
    /// Runs `call` into `out`: `Ok(Some(tls))` once it ran (`tls`: over TLS connections),
    /// `Ok(None)` when this path does not apply (a namespace or partition with no known master,
    /// a node failure `call.decline` names) and the crate's batch must run the read instead.
    pub async fn batch_read(
        &self,
        client: &Client,
        call: &ReadCall<'_>,
        out: &dyn Replies,
    ) -> Result<Option<bool>, DirectError> {
        let (policy, keys) = (call.policy, call.keys);
        let filter_exp = match &policy.base_policy.filter_expression {
            None => None,
            Some(e) => match packed_expression(e) {
                Some(b) => Some(b),
                None => return Ok(None),
            },
        };
        let Some(reach) = self.reach(client).await? else {
            return Ok(None);
        };
        let (nodes, dialer) = (&reach.nodes, &reach.dialer);
        // Rows per node, in key order. A namespace or partition without a known master goes
        // to the crate, which reports it the way every other command does.
        let digests: Vec<[u8; 20]> = keys.iter().map(Key::digest).collect();
        let mut per_node: Vec<Vec<Row<'_>>> = (0..nodes.len()).map(|_| Vec::new()).collect();
        for (i, (k, d)) in keys.iter().zip(&digests).enumerate() {
            let pid = (u16::from_le_bytes([d[0], d[1]]) as usize) & (PARTITIONS - 1);
            match reach.routes.owners.get(k.namespace()).map(|o| o[pid]) {
                Some(n) if (n as usize) < nodes.len() => per_node[n as usize].push(Row {
                    index: i as u32,
                    namespace: k.namespace(),
                    set: k.set_name(),
                    digest: d,
                }),
                _ => return Ok(None),
            }
        }
        let names = match call.sel {
            Selection::Named(n) => n.iter().map(|b| b.len() + 24).sum(),
            _ => 0,
        };
        let work = nodes
            .iter()
            .zip(&per_node)
            .filter(|(_, rows)| !rows.is_empty())
            .map(|(node, rows)| {
                let mut req = Vec::with_capacity(64 + rows.len() * 26 + names);
                let exp = filter_exp.as_deref();
                wire::encode_read(&mut req, &call.request, exp, call.sel, rows.iter());
                self.run_node(
                    node,
                    req,
                    out,
                    policy,
                    reach.connect_timeout,
                    reach.creds.as_deref(),
                    dialer,
                )
            });
        // Nodes at once, or one after another when the policy asks for sequential batches.
        let sequential = matches!(policy.concurrency, Concurrency::Sequential);
        let all = async move {
            if sequential {
                let mut results = Vec::new();
                for node in work {
                    results.push(node.await);
                }
                results
            } else {
                futures::future::join_all(work).await
            }
        };
        let results = match ms(policy.base_policy.total_timeout) {
            Some(d) => tokio::time::timeout(d, all)
                .await
                .map_err(|_| DirectError::new(ERR_TIMEOUT, "batch total timeout"))?,
            None => all.await,
        };
        // A node that could not be reached at all may be leaving the cluster: the crate's batch,
        // with its own node and replica handling, gets the whole (idempotent) read instead.
        if results
            .iter()
            .any(|r| matches!(r, Err(e) if (call.decline)(e)))
        {
            return Ok(None);
        }
        settle(results, out)?;
        Ok(Some(dialer.data_tls()))
    }
}

/// The outcome of a batch whose node requests ended with `results`: as with the crate's batch,
/// rows that got an answer keep it even when another node's request failed (unanswered rows
/// stay unanswered); a batch where no row got an answer fails with the first error.
fn settle(results: Vec<Result<(), DirectError>>, out: &dyn Replies) -> Result<(), DirectError> {
    match results.into_iter().find_map(Result::err) {
        Some(e) if !out.answered() => Err(e),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_node_keeps_the_rows_others_answered() {
        let spec = [("a".to_string(), ColumnType::I64)];
        let err = || Err(DirectError::new(ERR_CONNECTION, "down"));
        let mut cols = Columns::empty(&spec, 2);
        cols.set_row(0, 0, 1, -1);
        let out = ColumnReplies::new(&["a"], cols);
        assert!(settle(vec![Ok(()), err()], &out).is_ok());
        assert_eq!(out.into_columns().status, vec![0, -1]);
        let none = ColumnReplies::new(&["a"], Columns::empty(&spec, 2));
        assert_eq!(
            settle(vec![err(), Ok(())], &none).unwrap_err().code,
            ERR_CONNECTION
        );
        let empty = ColumnReplies::new(&["a"], Columns::empty(&spec, 0));
        assert!(settle(vec![Ok(())], &empty).is_ok());
    }
}
