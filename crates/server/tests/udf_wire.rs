//! Record UDFs over the wire: register a module with `udf-put`, apply its functions, read the
//! records back.

use aerospike_embedded_server::Config;
use base64::Engine;
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;

mod common;
use common::{field, proto, read_proto, start, str_digest as digest};

const MODULE: &str = r#"
function withArguments(rec, value)
  return value
end

function createRecord(rec, binName, binValue)
  rec[binName] = binValue
  if aerospike:exists(rec) then
    return aerospike:update(rec)
  end
  return aerospike:create(rec)
end

function appendTo(rec, binName, value)
  local l = rec[binName] or list()
  list.append(l, value)
  rec[binName] = l
  aerospike:update(rec)
  return list.size(l)
end

function meta(rec)
  local m = map()
  m['gen'] = record.gen(rec)
  m['bins'] = #record.bin_names(rec)
  return m
end

function fail(rec)
  error("boom")
end

function spin(rec)
  while true do end
end

function deleteRecord(rec)
  aerospike:remove(rec)
  return 0
end

function noUpdate(rec)
  rec['a'] = 99
  return rec['a']
end
"#;

fn msg(info: [u8; 3], fields: &[Vec<u8>]) -> Vec<u8> {
    common::message(info, 0, u32::MAX, fields, &[])
}

async fn call(s: &mut TcpStream, kind: u8, body: &[u8]) -> Vec<u8> {
    s.write_all(&proto(kind, body)).await.unwrap();
    read_proto(s).await
}

/// A reply: result code, generation, bins (name, particle, bytes).
struct Answer {
    result: u8,
    generation: u32,
    bins: Vec<(String, u8, Vec<u8>)>,
}

fn parse(b: &[u8]) -> Answer {
    let msgs = common::messages(b);
    let [m] = &msgs[..] else {
        panic!("{} messages in a single-record reply", msgs.len())
    };
    assert_eq!(m.fields.len(), 0);
    Answer {
        result: m.result(),
        generation: u32::from_be_bytes(m.header[6..10].try_into().unwrap()),
        bins: m.bins(),
    }
}

/// Applies `function` with msgpack-encoded `args` (a complete msgpack list).
async fn apply(s: &mut TcpStream, key: &str, function: &str, args: &[u8]) -> Answer {
    let d = digest("demo", key.as_bytes());
    let mut k = vec![3u8];
    k.extend_from_slice(key.as_bytes());
    let fields = [
        field(0, b"test"),
        field(1, b"demo"),
        field(2, &k),
        field(4, &d),
        field(30, b"m"),
        field(31, function.as_bytes()),
        field(32, args),
    ];
    parse(&call(s, 3, &msg([0, 1, 0], &fields)).await)
}

async fn get(s: &mut TcpStream, key: &str) -> Answer {
    let d = digest("demo", key.as_bytes());
    let fields = [field(0, b"test"), field(1, b"demo"), field(4, &d)];
    parse(&call(s, 3, &msg([3, 0, 0], &fields)).await)
}

/// msgpack for a string.
fn mp_str(s: &str) -> Vec<u8> {
    let mut v = vec![0xa0 | (s.len() as u8 + 1), 3];
    v.extend_from_slice(s.as_bytes());
    v
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn record_udfs_run_against_the_store() {
    let server = start(Config::default()).await;
    let mut s = TcpStream::connect(server.addr()).await.unwrap();
    let content = base64::engine::general_purpose::STANDARD.encode(MODULE);
    let put = format!(
        "udf-put:filename=m.lua;content={content};content-len={};udf-type=LUA;\n",
        content.len()
    );
    let answer = String::from_utf8(call(&mut s, 1, put.as_bytes()).await).unwrap();
    assert!(answer.ends_with("\tok\n"), "{answer}");

    // A read-only call on a missing record: SUCCESS with the argument, nothing stored.
    let a = apply(&mut s, "k1", "withArguments", &[0x91, 42]).await;
    assert_eq!((a.result, a.generation), (0, 0));
    assert_eq!(
        a.bins,
        vec![("SUCCESS".into(), 1, 42i64.to_be_bytes().to_vec())]
    );
    assert_eq!(get(&mut s, "k1").await.result, 2);

    // A list argument comes back as a list.
    let a = apply(&mut s, "k1", "withArguments", &[0x91, 0x93, 1, 2, 3]).await;
    assert_eq!(a.bins, vec![("SUCCESS".into(), 20, vec![0x93, 1, 2, 3])]);

    // create, then update: generation 1 then 2; the bin is stored.
    let mut args = vec![0x92];
    args.extend(mp_str("x"));
    args.push(7);
    let a = apply(&mut s, "k1", "createRecord", &args).await;
    assert_eq!((a.result, a.generation), (0, 1));
    assert_eq!(
        a.bins,
        vec![("SUCCESS".into(), 1, 0i64.to_be_bytes().to_vec())]
    );
    let a = apply(&mut s, "k1", "createRecord", &args).await;
    assert_eq!((a.result, a.generation), (0, 2));
    let g = get(&mut s, "k1").await;
    assert_eq!(g.generation, 2);
    assert_eq!(g.bins, vec![("x".into(), 1, 7i64.to_be_bytes().to_vec())]);

    // A list bin read, changed and written back.
    let mut args = vec![0x92];
    args.extend(mp_str("l"));
    args.push(5);
    apply(&mut s, "k1", "appendTo", &args).await;
    let a = apply(&mut s, "k1", "appendTo", &args).await;
    assert_eq!(
        a.bins,
        vec![("SUCCESS".into(), 1, 2i64.to_be_bytes().to_vec())]
    );
    let g = get(&mut s, "k1").await;
    assert_eq!(g.bins[1], ("l".into(), 20, vec![0x92, 5, 5]));

    // Record metadata through the record API, a map result.
    let a = apply(&mut s, "k1", "meta", &[0x90]).await;
    assert_eq!(a.result, 0);
    assert_eq!(a.bins[0].1, 19);

    // Changes without aerospike:update are not stored.
    let a = apply(&mut s, "k1", "noUpdate", &[0x90]).await;
    assert_eq!(
        a.bins,
        vec![("SUCCESS".into(), 1, 99i64.to_be_bytes().to_vec())]
    );
    assert_eq!(get(&mut s, "k1").await.generation, 4);

    // Failures: 100 with a FAILURE message.
    let a = apply(&mut s, "k1", "fail", &[0x90]).await;
    assert_eq!(a.result, 100);
    assert_eq!(a.bins[0].0, "FAILURE");
    assert!(String::from_utf8_lossy(&a.bins[0].2).contains("boom"));
    let a = apply(&mut s, "k1", "nosuch", &[0x90]).await;
    assert_eq!(a.result, 100);
    let a = apply(&mut s, "k1", "spin", &[0x90]).await;
    assert_eq!(a.result, 100);
    assert!(String::from_utf8_lossy(&a.bins[0].2).contains("timed out"));

    // remove deletes the record.
    let a = apply(&mut s, "k1", "deleteRecord", &[0x90]).await;
    assert_eq!(a.result, 0);
    assert_eq!(get(&mut s, "k1").await.result, 2);

    server.stop().await.unwrap();
}
