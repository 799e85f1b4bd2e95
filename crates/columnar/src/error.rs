//! The error of a columnar read on the direct path.

use aerospike_cdt::result::client::ERR_CLIENT;

use crate::wire::ReplyError;

/// A failed columnar read: the official status code and a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirectError {
    pub code: i32,
    pub message: String,
}

impl DirectError {
    pub(crate) fn new(code: i32, message: impl Into<String>) -> Self {
        DirectError {
            code,
            message: message.into(),
        }
    }
}

impl DirectError {
    /// A scan reply from the node at `node` that failed: with a server's code, the message the
    /// record scan gives (the facade puts the status's message in place of `AEROSPIKE_STATUS`).
    pub(crate) fn of_scan(e: ReplyError, node: &str) -> Self {
        match e {
            ReplyError::Protocol(m) => {
                DirectError::new(ERR_CLIENT, format!("bad scan reply from {node}: {m}"))
            }
            ReplyError::Server(code) => {
                DirectError::new(code as i32, format!("{node} AEROSPIKE_STATUS"))
            }
        }
    }
}

/// A batch reply that failed.
impl From<ReplyError> for DirectError {
    fn from(e: ReplyError) -> Self {
        match e {
            ReplyError::Protocol(m) => {
                DirectError::new(ERR_CLIENT, format!("bad batch reply: {m}"))
            }
            ReplyError::Server(code) => DirectError::new(
                code as i32,
                format!("batch failed on the server with code {code}"),
            ),
        }
    }
}
