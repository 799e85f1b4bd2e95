//! The event-loop path where it is not built (not Unix): always off, every command takes the
//! crate's path.

use std::sync::Arc;

use aerospike::Client;
use aerospike_columnar::direct::DirectReader;

use crate::dispatch::Handle;

pub mod side {
    #[derive(Default)]
    pub struct ClientSide;

    impl ClientSide {
        pub fn counts(&self, _: &str) -> (u64, u64) {
            (0, 0)
        }
    }
}

use side::ClientSide;

/// # Safety
/// Nothing to uphold; kept `unsafe` to match the Unix signature.
pub unsafe fn enable(_: napi::sys::napi_env, _: napi::sys::napi_value, _: usize) -> Option<usize> {
    None
}

/// # Safety
/// Nothing to uphold; kept `unsafe` to match the Unix signature.
pub unsafe fn inbox(_: napi::sys::napi_env) -> Option<napi::sys::napi_value> {
    None
}

pub fn forget(_: &ClientSide) {}

pub fn settled() -> u64 {
    0
}

pub fn try_start(
    _: &Arc<ClientSide>,
    _: &Arc<Client>,
    _: &Arc<DirectReader>,
    _: &Arc<[u8]>,
    _: (u32, u8, usize, usize),
    _: &Handle,
) -> bool {
    false
}
