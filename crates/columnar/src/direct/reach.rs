//! Where every command on the direct path starts: the active nodes, how to dial and log in to
//! them, and who masters which partition. Reads and scans take it from here, so they decline
//! (and the caller runs the crate's command) for the same reasons.

use super::*;

/// What one command on this path works with: the active nodes, how to dial and log in to
/// them, and their master map (owners index into `nodes`).
pub(super) struct Reach {
    pub nodes: Vec<Arc<Node>>,
    pub dialer: Dialer,
    pub creds: Option<Arc<Credentials>>,
    pub routes: Arc<Routes>,
    /// How long dialing a node may take (the client policy's timeout).
    pub connect_timeout: Option<Duration>,
}

impl DirectReader {
    /// The active nodes with how to dial and log in to them and who masters what, or `None`
    /// when this path cannot see the whole cluster yet (no active node, no partition map).
    pub(super) async fn reach(&self, client: &Client) -> Result<Option<Reach>, DirectError> {
        let nodes: Vec<Arc<Node>> = client
            .nodes()
            .into_iter()
            .filter(|n| n.is_active())
            .collect();
        if nodes.is_empty() {
            return Ok(None);
        }
        let dialer = Dialer::of(nodes[0].client_policy(), &self.seeds);
        let connect_timeout = ms(nodes[0].client_policy().timeout);
        let creds = self.credentials(&nodes[0].client_policy().auth_mode)?;
        let Some(routes) = self.routes(&nodes).await else {
            return Ok(None);
        };
        Ok(Some(Reach {
            nodes,
            dialer,
            creds,
            routes,
            connect_timeout,
        }))
    }
}
