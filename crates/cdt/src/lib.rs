//! Aerospike's msgpack value model and collection (CDT) operations.
