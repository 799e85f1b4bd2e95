//! Arbitrary bytes as the body of an info (type 1) or AS_MSG (type 3) request.
#![no_main]
use aerospike_embedded_server::fuzzing;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    thread_local!(static STATE: aerospike_embedded_server::State = fuzzing::state());
    if let Some((first, body)) = data.split_first() {
        let kind = if first & 1 == 0 { 1 } else { 3 };
        STATE.with(|s| {
            fuzzing::frame_body(s, kind, body);
        });
    }
});
