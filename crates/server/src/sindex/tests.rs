//! Index maintenance and lookups without a socket: records written, replaced, deleted, expired
//! and truncated through the namespace's write paths; definitions from `sindex-create`.

use std::sync::Arc;

use super::def::Def;
use super::filter::Filter;
use super::SIndex;
use crate::catalog;
use crate::query::parts::{Part, Resume};
use crate::query::plan::Plan;
use crate::record::{particle, Record, Value};
use crate::record::{partition_of, Digest};
use crate::store::Namespace;

fn def(bin: &str, kind: &str, collection: &str, context: &str) -> Def {
    Def::from_catalog(&catalog::Index {
        ns: "test".into(),
        set: "s".into(),
        name: format!("ix-{bin}-{kind}-{collection}"),
        bin: bin.into(),
        kind: kind.into(),
        collection: collection.into(),
        context: context.into(),
        exp: String::new(),
    })
    .unwrap()
    .unwrap()
}

fn add(ns: &Namespace, d: Def) -> Arc<SIndex> {
    let ix = Arc::new(SIndex::new(d));
    assert!(ns.sindex.add_if_absent(ix.clone()));
    ns.build_index(&ix);
    ix
}

fn digest(i: u8) -> Digest {
    let mut d = [0u8; 20];
    d[0] = i;
    d[7] = i.wrapping_mul(31);
    d
}

fn rec(set: &str, bins: &[(&str, Value)]) -> Record {
    Record {
        set: set.into(),
        bins: bins.iter().map(|(n, v)| ((*n).into(), v.clone())).collect(),
        generation: 1,
        ..Default::default()
    }
}

fn put(ns: &Namespace, d: Digest, r: Record) {
    let mut part = ns.write(partition_of(&d));
    ns.put(&mut part, d, r);
}

fn bytes(particle: u8, data: &[u8]) -> Value {
    Value {
        particle,
        data: data.to_vec(),
    }
}

/// The digests a filter finds through `ix`, in partition then index order.
fn found(ns: &Namespace, ix: &Arc<SIndex>, filter: Filter) -> Vec<Digest> {
    let plan = Plan {
        index: ix.clone(),
        filter,
    };
    let mut out = Vec::new();
    for pid in 0..crate::record::PARTITIONS {
        plan.visit(ns, Part { pid, resume: None }, 0, 0, |_, d, _| {
            out.push(*d);
            true
        });
    }
    out
}

#[test]
fn writes_deletes_expiry_and_truncate_keep_the_index_right() {
    let ns = Namespace::new("test", 0);
    put(&ns, digest(1), rec("s", &[("a", Value::int(5))]));
    let ix = add(&ns, def("a", "numeric", "default", ""));
    assert_eq!(ix.entries(), 1, "built from existing records");
    put(&ns, digest(2), rec("s", &[("a", Value::int(7))]));
    put(&ns, digest(3), rec("other", &[("a", Value::int(7))]));
    put(
        &ns,
        digest(4),
        rec("s", &[("a", bytes(particle::STRING, b"7"))]),
    );
    assert_eq!(
        ix.entries(),
        2,
        "other sets and other types are not indexed"
    );
    assert_eq!(found(&ns, &ix, Filter::Range(6, 8)), vec![digest(2)]);

    // Replacing the value moves the entry.
    put(&ns, digest(2), rec("s", &[("a", Value::int(-3))]));
    assert!(found(&ns, &ix, Filter::Range(6, 8)).is_empty());
    assert_eq!(found(&ns, &ix, Filter::Range(-3, -3)), vec![digest(2)]);
    assert_eq!(ix.entries(), 2);

    // Deleting removes it.
    {
        let mut part = ns.write(partition_of(&digest(2)));
        ns.remove(&mut part, &digest(2));
    }
    assert_eq!(ix.entries(), 1);
    assert!(found(&ns, &ix, Filter::Range(i64::MIN, i64::MAX)) == vec![digest(1)]);

    // Expired records are skipped at once and removed by the sweep.
    let mut r = rec("s", &[("a", Value::int(9))]);
    r.void_time = 100;
    put(&ns, digest(5), r);
    assert_eq!(ix.entries(), 2);
    let plan = Plan {
        index: ix.clone(),
        filter: Filter::Range(9, 9),
    };
    let mut live = 0;
    let part = Part {
        pid: partition_of(&digest(5)),
        resume: None,
    };
    plan.visit(&ns, part, 200, 0, |_, _, _| {
        live += 1;
        true
    });
    assert_eq!(live, 0);
    assert_eq!(ns.sweep_expired(200), 1);
    assert_eq!(ix.entries(), 1);

    // Truncating removes what it deletes.
    assert_eq!(ns.truncate(Some("s"), u64::MAX), 2);
    assert_eq!(ix.entries(), 0);
}

#[test]
fn collections_contexts_and_types() {
    let ns = Namespace::new("test", 0);
    // [1, 5, 9], {"a": 1, "k": "v"}, {"nested": [4, "x"]}
    let list = bytes(particle::LIST, &[0x93, 1, 5, 9]);
    let map = bytes(
        particle::MAP,
        &[0x82, 0xa2, 3, b'a', 1, 0xa2, 3, b'k', 0xa2, 3, b'v'],
    );
    let nested = bytes(
        particle::MAP,
        &[
            0x81, 0xa7, 3, b'n', b'e', b's', b't', b'e', b'd', 0x92, 4, 0xa2, 3, b'x',
        ],
    );
    put(
        &ns,
        digest(1),
        rec("s", &[("l", list), ("m", map), ("n", nested)]),
    );
    let li = add(&ns, def("l", "numeric", "list", ""));
    let mk = add(&ns, def("m", "string", "mapkeys", ""));
    let mv = add(&ns, def("m", "string", "mapvalues", ""));
    // context [map key "nested"] = 0x92 0x22 0xa7 03 "nested", base64.
    let ctx = "kiKnA25lc3RlZA==";
    let nl = add(&ns, def("n", "numeric", "list", ctx));
    assert_eq!(li.entries(), 3);
    assert_eq!(
        found(&ns, &li, Filter::Range(2, 9)),
        vec![digest(1)],
        "once"
    );
    assert_eq!(mk.entries(), 2);
    assert_eq!(found(&ns, &mk, Filter::Str(b"k".to_vec())).len(), 1);
    assert!(found(&ns, &mk, Filter::Str(b"v".to_vec())).is_empty());
    assert_eq!(found(&ns, &mv, Filter::Str(b"v".to_vec())).len(), 1);
    assert_eq!(nl.entries(), 1);
    assert_eq!(found(&ns, &nl, Filter::Range(4, 4)).len(), 1);
    // A filter of another type than the index's finds nothing.
    assert!(found(&ns, &li, Filter::Str(b"1".to_vec())).is_empty());
}

#[test]
fn strings_blobs_and_geo() {
    let ns = Namespace::new("test", 0);
    let geo = |json: &str| {
        bytes(
            particle::GEOJSON,
            &[&[0u8, 0, 0][..], json.as_bytes()].concat(),
        )
    };
    put(
        &ns,
        digest(1),
        rec(
            "s",
            &[
                ("s", bytes(particle::STRING, b"banana")),
                ("b", bytes(particle::BLOB, b"\x01\x02")),
                (
                    "g",
                    geo(r#"{"type":"Point","coordinates":[103.913,1.308]}"#),
                ),
            ],
        ),
    );
    let region = r#"{"type":"Polygon","coordinates":[[[102,0],[105,0],[105,3],[102,3],[102,0]]]}"#;
    put(&ns, digest(2), rec("s", &[("g", geo(region))]));
    let s = add(&ns, def("s", "string", "default", ""));
    let b = add(&ns, def("b", "blob", "default", ""));
    let g = add(&ns, def("g", "geo2dsphere", "default", ""));
    assert_eq!(found(&ns, &s, Filter::Str(b"banana".to_vec())).len(), 1);
    assert!(found(&ns, &s, Filter::Str(b"banan".to_vec())).is_empty());
    assert_eq!(found(&ns, &b, Filter::Blob(vec![1, 2])).len(), 1);
    let shape = |j: &str| crate::expr::geo::Shape::parse(j.as_bytes()).unwrap();
    let within = Filter::Geo(shape(
        r#"{"type":"AeroCircle","coordinates":[[103.9135,1.3085],15000]}"#,
    ));
    assert_eq!(found(&ns, &g, within), vec![digest(1)]);
    let contains = Filter::Geo(shape(r#"{"type":"Point","coordinates":[104,1]}"#));
    assert_eq!(found(&ns, &g, contains), vec![digest(2)]);
}

#[test]
fn resuming_continues_after_the_bval_and_digest() {
    let ns = Namespace::new("test", 0);
    let ix = add(&ns, def("a", "numeric", "default", ""));
    // Three records in one partition (same first two digest bytes).
    let mut ds = Vec::new();
    for (i, v) in [(1u8, 10i64), (2, 10), (3, 20)] {
        let mut d = [0u8; 20];
        d[5] = i;
        put(&ns, d, rec("s", &[("a", Value::int(v))]));
        ds.push(d);
    }
    let plan = Plan {
        index: ix,
        filter: Filter::Range(0, 100),
    };
    let walk = |resume| {
        let mut out = Vec::new();
        plan.visit(&ns, Part { pid: 0, resume }, 0, 0, |bval, d, _| {
            out.push((bval, d[5]));
            true
        });
        out
    };
    assert_eq!(walk(None), vec![(10, 1), (10, 2), (20, 3)]);
    let after = Resume {
        digest: ds[0],
        bval: 10,
    };
    assert_eq!(walk(Some(after)), vec![(10, 2), (20, 3)]);
    let past = Resume {
        digest: ds[2],
        bval: 20,
    };
    assert!(walk(Some(past)).is_empty());
}

#[test]
fn sindex_create_checks_builds_renames_and_deletes() {
    let state = crate::fuzzing::state();
    let ns = state.store.namespace(b"test").unwrap();
    put(ns, digest(1), rec("s", &[("a", Value::int(1))]));
    let create = |rest: &str| crate::info::sindex::create(&state, rest);
    assert_eq!(
        create("ns=test;set=s;indexname=i1;indexdata=a,NUMERIC"),
        "ok"
    );
    assert!(crate::info::sindex::stat(&state, "test", "i1").starts_with("entries=1;"));
    // A context with a create flag is refused (and not left in the catalog).
    let bad = "ns=test;set=s;indexname=i2;context=klAA;indextype=list;indexdata=b,NUMERIC";
    assert!(create(bad).starts_with("ERROR:4:"), "{}", create(bad));
    assert!(state.catalog.index("test", "i2").is_none());
    // The same definition under a new name renames the index.
    assert_eq!(
        create("ns=test;set=s;indexname=i3;indexdata=a,NUMERIC"),
        "ok"
    );
    assert!(ns.sindex.by_name("i1").is_none() && state.catalog.index("test", "i1").is_none());
    assert!(crate::info::sindex::stat(&state, "test", "i3").starts_with("entries=1;"));
    assert_eq!(
        crate::info::sindex::delete(&state, "ns=test;indexname=i3"),
        "ok"
    );
    assert!(ns.sindex.by_name("i3").is_none());
    assert!(crate::info::sindex::stat(&state, "test", "i3").starts_with("ERROR:201"));
}
