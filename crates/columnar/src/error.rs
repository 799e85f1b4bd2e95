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
