//! Per-node statistics from the `aerospike` crate's metrics: connection pool gauges, connections
//! opened and closed, and (once operational metrics are enabled) retries and errors. Client-wide
//! per-command counters and latency histograms are kept by the TypeScript facade.

use aerospike::metrics::MetricsPolicy;
use napi::Env;
use napi_derive::napi;

use crate::client::NativeClient;

/// One node's statistics.
#[napi(object)]
pub struct NodeStats {
    /// Node name (id).
    pub name: String,
    /// `host:port`.
    pub address: String,
    /// Connections open (idle, in use, opening or recovering).
    pub conns_open: f64,
    /// Connections checked out by commands (or opening / recovering).
    pub conns_in_use: f64,
    /// Idle connections in the pool.
    pub conns_in_pool: f64,
    /// Connections opened successfully so far.
    pub conns_opened: f64,
    /// Connections closed so far.
    pub conns_closed: f64,
    /// Command attempts retried (operational metrics only).
    pub retries: f64,
    /// Commands that failed (operational metrics only).
    pub errors: f64,
}

#[napi]
impl NativeClient {
    /// Statistics of every node the client knows.
    #[napi]
    pub fn node_stats(&self, env: &Env) -> napi::Result<Vec<NodeStats>> {
        let client = self.client_now().map_err(|f| f.into_napi(env))?;
        let metrics = client.metrics();
        let mut out = Vec::new();
        for node in client.nodes() {
            let snap = metrics
                .nodes
                .get(node.address())
                .or_else(|| metrics.nodes.values().find(|_| metrics.nodes.len() == 1));
            let (gauges, counters) = match snap {
                Some(s) => (s.pool_gauges(), s.counters.clone()),
                None => (Default::default(), Default::default()),
            };
            // What the event-loop path retried or failed on this node, which the crate never saw.
            let (loop_retries, loop_errors) = self.uv.counts(node.address());
            out.push(NodeStats {
                name: node.name().to_owned(),
                address: node.address().to_owned(),
                conns_open: gauges.total as f64,
                conns_in_use: gauges.in_use() as f64,
                conns_in_pool: gauges.in_pool as f64,
                conns_opened: counters.connections_successful as f64,
                conns_closed: counters.connections_closed as f64,
                retries: (counters.transaction_retry_count + loop_retries) as f64,
                errors: (counters.transaction_error_count + loop_errors) as f64,
            });
        }
        Ok(out)
    }

    /// Turns the crate's operational metrics (retry and error counters per node) on or off.
    #[napi]
    pub fn set_node_metrics(&self, env: &Env, on: bool) -> napi::Result<()> {
        let client = self.client_now().map_err(|f| f.into_napi(env))?;
        if on {
            client.enable_metrics(MetricsPolicy {
                operational: true,
                ..MetricsPolicy::micros()
            });
        } else {
            client.disable_metrics();
        }
        Ok(())
    }

    /// Names of the nodes the client currently sees.
    #[napi]
    pub fn node_names(&self, env: &Env) -> napi::Result<Vec<String>> {
        let client = self.client_now().map_err(|f| f.into_napi(env))?;
        Ok(client.node_names())
    }
}
