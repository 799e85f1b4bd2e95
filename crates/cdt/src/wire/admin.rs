//! The admin message (proto type 2: login, users, roles): its header, commands and field ids.
//!
//! `scheme (1) | result (1) | command (1) | field count (1) | 12 zero bytes`, then each field as
//! `u32 length (id + data) | u8 id | data`.

/// Length of the admin header that follows the proto header.
pub const HEADER_LEN: usize = 16;

// Commands.
pub const AUTHENTICATE: u8 = 0;
pub const CREATE_USER: u8 = 1;
pub const DROP_USER: u8 = 2;
pub const SET_PASSWORD: u8 = 3;
pub const CHANGE_PASSWORD: u8 = 4;
pub const GRANT_ROLES: u8 = 5;
pub const REVOKE_ROLES: u8 = 6;
pub const QUERY_USERS: u8 = 9;
pub const CREATE_ROLE: u8 = 10;
pub const DROP_ROLE: u8 = 11;
pub const GRANT_PRIVILEGES: u8 = 12;
pub const REVOKE_PRIVILEGES: u8 = 13;
pub const SET_WHITELIST: u8 = 14;
pub const SET_QUOTAS: u8 = 15;
pub const QUERY_ROLES: u8 = 16;
pub const LOGIN: u8 = 20;

// Field ids.
pub const USER: u8 = 0;
pub const PASSWORD: u8 = 1;
pub const OLD_PASSWORD: u8 = 2;
pub const CREDENTIAL: u8 = 3;
pub const CLEAR_PASSWORD: u8 = 4;
pub const SESSION_TOKEN: u8 = 5;
pub const SESSION_TTL: u8 = 6;
pub const ROLES: u8 = 10;
pub const ROLE: u8 = 11;
pub const PRIVILEGES: u8 = 12;
pub const WHITELIST: u8 = 13;
pub const READ_QUOTA: u8 = 14;
pub const WRITE_QUOTA: u8 = 15;
pub const READ_INFO: u8 = 16;
pub const WRITE_INFO: u8 = 17;
pub const CONNECTIONS: u8 = 18;
