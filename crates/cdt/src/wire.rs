//! The Aerospike wire protocol's constants and fixed layouts, written once for everything that
//! speaks it: the embedded server, the columnar reader's direct path and the client glue.
//!
//! A request or reply is a proto (an 8-byte [`proto`] header and a body); a data command's body
//! is an AS_MSG ([`msg`]): a 22-byte header, then fields, then operations ([`op`]) whose values
//! are tagged with a [`particle`] type. Batch requests carry their rows in one field ([`batch`]).
//! Logins and security commands travel as [`admin`] messages.

pub mod admin;
pub mod msg;

/// The 8-byte header in front of every message: `version | type | body length (6 bytes)`.
pub mod proto {
    /// The only version either side sends.
    pub const VERSION: u8 = 2;
    /// Length of the proto header.
    pub const HEADER_LEN: usize = 8;
    /// Info protocol: newline-separated text commands.
    pub const TYPE_INFO: u8 = 1;
    /// Admin/security protocol (login, users, roles).
    pub const TYPE_ADMIN: u8 = 2;
    /// A data command (AS_MSG).
    pub const TYPE_MSG: u8 = 3;
    /// A zlib-compressed AS_MSG.
    pub const TYPE_COMPRESSED: u8 = 4;
    /// Largest body either side accepts (the real server's limit too).
    pub const MAX_BODY: u64 = 128 * 1024 * 1024;

    /// The header for a body of `len` bytes.
    pub fn header(kind: u8, len: usize) -> [u8; HEADER_LEN] {
        let mut h = (len as u64).to_be_bytes();
        h[0] = VERSION;
        h[1] = kind;
        h
    }

    /// Splits a header into (version, type, body length).
    pub fn split(h: &[u8; HEADER_LEN]) -> (u8, u8, u64) {
        let mut len = [0u8; 8];
        len[2..].copy_from_slice(&h[2..]);
        (h[0], h[1], u64::from_be_bytes(len))
    }
}

/// Operation types: the first byte of every op (request) or bin (reply).
pub mod op {
    pub const READ: u8 = 1;
    pub const WRITE: u8 = 2;
    pub const CDT_READ: u8 = 3;
    pub const CDT_MODIFY: u8 = 4;
    pub const INCR: u8 = 5;
    pub const EXP_READ: u8 = 7;
    pub const EXP_MODIFY: u8 = 8;
    pub const APPEND: u8 = 9;
    pub const PREPEND: u8 = 10;
    pub const TOUCH: u8 = 11;
    pub const BIT_READ: u8 = 12;
    pub const BIT_MODIFY: u8 = 13;
    pub const DELETE_ALL: u8 = 14;
    pub const HLL_READ: u8 = 15;
    pub const HLL_MODIFY: u8 = 16;
}

/// Particle types of bin values on the wire (also the first payload byte of msgpack strings).
pub mod particle {
    pub const NULL: u8 = 0;
    pub const INTEGER: u8 = 1;
    pub const FLOAT: u8 = 2;
    pub const STRING: u8 = 3;
    pub const BLOB: u8 = 4;
    pub const BOOL: u8 = 17;
    pub const HLL: u8 = 18;
    pub const MAP: u8 = 19;
    pub const LIST: u8 = 20;
    pub const GEOJSON: u8 = 23;
}

/// The BATCH_INDEX field: a parent flag byte, then rows of (index, digest, row flags, …).
pub mod batch {
    /// The row reuses the previous row's namespace, set and read settings.
    pub const ROW_REPEAT: u8 = 0x01;
    /// The row carries its own info1/2/3 bytes.
    pub const ROW_INFO: u8 = 0x02;
    pub const ROW_GEN: u8 = 0x04;
    pub const ROW_TTL: u8 = 0x08;
    pub const ROW_INFO4: u8 = 0x10;
    pub const PARENT_ALLOW_INLINE: u8 = 0x01;
    pub const PARENT_ALLOW_INLINE_SSD: u8 = 0x02;
    pub const PARENT_RESPOND_ALL_KEYS: u8 = 0x04;
    /// Ask for the failing row's own code when an error ends the batch early.
    pub const PARENT_REPORT_ERROR_ROW: u8 = 0x08;
}
