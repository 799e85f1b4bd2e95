//! Arbitrary bytes as a whole connection stream: frame headers, compression, every handler.
#![no_main]
use aerospike_embedded_server::fuzzing;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    thread_local!(static STATE: aerospike_embedded_server::State = fuzzing::state());
    STATE.with(|s| {
        fuzzing::connection_bytes(s, data);
    });
});
