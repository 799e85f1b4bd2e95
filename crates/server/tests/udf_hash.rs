//! The `hash=` that `udf-list` reports is the SHA-1 of the module as uploaded, in lowercase hex:
//! clients compare it with the digest of their own copy to skip re-registering.

use aerospike_embedded_server::catalog::Catalog;
use base64::Engine;

fn listed_hash(content: &[u8]) -> String {
    let catalog = Catalog::default();
    let b64 = base64::engine::general_purpose::STANDARD.encode(content);
    let put = format!(
        "filename=m.lua;content={b64};content-len={};udf-type=LUA;",
        content.len()
    );
    assert_eq!(catalog.udf_put(&put), "ok");
    let list = catalog.udf_list();
    let rest = list.strip_prefix("filename=m.lua,hash=").expect(&list);
    rest.strip_suffix(",type=LUA;").expect(&list).to_string()
}

#[test]
fn udf_list_hash_is_the_sha1_of_the_module() {
    assert_eq!(listed_hash(b""), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
    assert_eq!(
        listed_hash(b"abc"),
        "a9993e364706816aba3e25717850c26c9cd0d89d"
    );
    assert_eq!(
        listed_hash(&[b'a'; 1000]),
        "291e9a6c66994949b57ba5e650361e98fc36b1ba"
    );
}
