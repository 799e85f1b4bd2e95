//! Result codes: the one byte a server puts in every reply header, and the negative (and few
//! positive) codes the official clients use for failures that never reached a server. The
//! names follow the server's; the facade's `src/status.ts` holds the JavaScript names and
//! messages for the same numbers.

pub const OK: u8 = 0;
pub const SERVER_ERROR: u8 = 1;
pub const KEY_NOT_FOUND: u8 = 2;
pub const GENERATION: u8 = 3;
pub const PARAMETER: u8 = 4;
pub const KEY_EXISTS: u8 = 5;
pub const BIN_EXISTS: u8 = 6;
pub const TIMEOUT: u8 = 9;
pub const PARTITION_UNAVAILABLE: u8 = 11;
pub const INCOMPATIBLE_TYPE: u8 = 12;
pub const RECORD_TOO_BIG: u8 = 13;
pub const KEY_BUSY: u8 = 14;
pub const UNSUPPORTED_FEATURE: u8 = 16;
pub const BIN_NOT_FOUND: u8 = 17;
pub const DEVICE_OVERLOAD: u8 = 18;
pub const KEY_MISMATCH: u8 = 19;
pub const NAMESPACE: u8 = 20;
pub const BIN_NAME: u8 = 21;
pub const ELEMENT_NOT_FOUND: u8 = 23;
pub const ELEMENT_EXISTS: u8 = 24;
pub const ENTERPRISE_ONLY: u8 = 25;
pub const OP_NOT_APPLICABLE: u8 = 26;
pub const FILTERED_OUT: u8 = 27;
pub const QUERY_END: u8 = 50;
pub const SECURITY_NOT_ENABLED: u8 = 52;
pub const INVALID_COMMAND: u8 = 54;
pub const INVALID_FIELD: u8 = 55;
pub const INVALID_USER: u8 = 60;
pub const USER_ALREADY_EXISTS: u8 = 61;
pub const INVALID_PASSWORD: u8 = 62;
pub const INVALID_CREDENTIAL: u8 = 65;
pub const EXPIRED_SESSION: u8 = 66;
pub const INVALID_ROLE: u8 = 70;
pub const ROLE_ALREADY_EXISTS: u8 = 71;
pub const INVALID_PRIVILEGE: u8 = 72;
pub const INVALID_WHITELIST: u8 = 73;
pub const NOT_AUTHENTICATED: u8 = 80;
pub const ROLE_VIOLATION: u8 = 81;
pub const NOT_WHITELISTED: u8 = 82;
pub const QUOTA_EXCEEDED: u8 = 83;
pub const UDF_EXECUTION: u8 = 100;
pub const BATCH_MAX_REQUESTS: u8 = 151;
pub const SINDEX_NOT_FOUND: u8 = 201;
/// The index exists but is still being built (or dropped): a query may try again.
pub const SINDEX_NOT_READABLE: u8 = 203;

/// Status codes of failures on the client side, as the official clients number them (the
/// timeout, namespace and UDF codes share the server's numbers).
pub mod client {
    pub const ERR_CLIENT: i32 = -1;
    pub const ERR_PARAM: i32 = -2;
    pub const ERR_NO_MORE_CONNECTIONS: i32 = -7;
    pub const ERR_INVALID_NODE: i32 = -8;
    pub const ERR_CONNECTION: i32 = -10;
    pub const MAX_ERROR_RATE: i32 = -14;
    pub const ERR_TIMEOUT: i32 = 9;
    pub const ERR_NAMESPACE_NOT_FOUND: i32 = 20;
    pub const ERR_UDF: i32 = 100;
}
