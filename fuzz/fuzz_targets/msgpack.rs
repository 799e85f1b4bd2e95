//! Arbitrary msgpack as a list/map/bit/HLL op payload and as the stored bin value.
#![no_main]
use aerospike_embedded_server::fuzzing;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| fuzzing::collection(data));
