//! Result codes the server sends (one byte in every reply header).

pub const OK: u8 = 0;
pub const SERVER_ERROR: u8 = 1;
pub const KEY_NOT_FOUND: u8 = 2;
pub const GENERATION: u8 = 3;
pub const PARAMETER: u8 = 4;
pub const KEY_EXISTS: u8 = 5;
pub const BIN_EXISTS: u8 = 6;
pub const INCOMPATIBLE_TYPE: u8 = 12;
pub const RECORD_TOO_BIG: u8 = 13;
pub const UNSUPPORTED_FEATURE: u8 = 16;
pub const BIN_NOT_FOUND: u8 = 17;
pub const KEY_MISMATCH: u8 = 19;
pub const NAMESPACE: u8 = 20;
pub const BIN_NAME: u8 = 21;
pub const ENTERPRISE_ONLY: u8 = 25;
pub const OP_NOT_APPLICABLE: u8 = 26;
pub const FILTERED_OUT: u8 = 27;
pub const SECURITY_NOT_ENABLED: u8 = 52;
pub const UDF_EXECUTION: u8 = 100;
pub const BATCH_MAX_REQUESTS: u8 = 151;
pub const SINDEX_NOT_FOUND: u8 = 201;
