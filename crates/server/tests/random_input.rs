//! Random and mutated input against the server's parsers and handlers, on stable Rust and in
//! bounded time (the long-running coverage-guided version is `npm run fuzz`). Nothing may panic;
//! the server state must stay usable.

use aerospike_embedded_server::fuzzing;

mod common;
use common::proto;

/// xorshift64*: deterministic, so a failure reproduces from the printed seed.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next() as u8).collect()
    }
}

/// Well-formed requests to mutate: an info request, a put, a get and a CDT op, as bodies.
fn seeds() -> Vec<(u8, Vec<u8>)> {
    let digest = [7u8; 20];
    let field = |t: u8, d: &[u8]| {
        let mut f = ((d.len() + 1) as u32).to_be_bytes().to_vec();
        f.push(t);
        f.extend_from_slice(d);
        f
    };
    let op = |code: u8, pt: u8, name: &[u8], v: &[u8]| {
        let mut o = ((4 + name.len() + v.len()) as u32).to_be_bytes().to_vec();
        o.extend_from_slice(&[code, pt, 0, name.len() as u8]);
        o.extend_from_slice(name);
        o.extend_from_slice(v);
        o
    };
    let msg = |info: [u8; 3], ops: Vec<Vec<u8>>| {
        let fields = [field(0, b"test"), field(1, b"s"), field(4, &digest)];
        let mut m = vec![22, info[0], info[1], info[2], 0, 0];
        m.extend_from_slice(&[0; 4]);
        m.extend_from_slice(&[0; 4]);
        m.extend_from_slice(&[0; 4]);
        m.extend_from_slice(&(fields.len() as u16).to_be_bytes());
        m.extend_from_slice(&(ops.len() as u16).to_be_bytes());
        for f in fields {
            m.extend(f);
        }
        for o in ops {
            m.extend(o);
        }
        m
    };
    vec![
        (1, b"build\nnamespaces\nnamespace/test\nsets\n".to_vec()),
        (
            3,
            msg(
                [0, 1, 0],
                vec![op(2, 1, b"a", &5i64.to_be_bytes()), op(2, 3, b"s", b"xyz")],
            ),
        ),
        (3, msg([3, 0, 0], vec![])),
        (3, msg([0, 1, 0], vec![op(4, 4, b"l", &[0x92, 0x01, 0x05])])),
        (
            3,
            msg([1, 0, 0], vec![op(3, 4, b"l", &[0x93, 0x13, 0x07, 0x00])]),
        ),
    ]
}

#[test]
fn random_and_mutated_requests_never_panic() {
    let seed = 0x5eed_1234_abcd_0001u64;
    let mut rng = Rng(seed);
    let state = fuzzing::state();
    let seeds = seeds();
    for i in 0..20_000 {
        let (kind, mut body) = seeds[rng.below(seeds.len())].clone();
        match i % 4 {
            // Pure noise as a whole connection stream.
            0 => {
                let n = rng.below(300);
                let noise = rng.bytes(n);
                fuzzing::connection_bytes(&state, &noise);
                continue;
            }
            // Flip, insert or delete a few bytes of a valid body.
            1 | 2 => {
                for _ in 0..1 + rng.below(4) {
                    if body.is_empty() {
                        break;
                    }
                    let at = rng.below(body.len());
                    match rng.below(3) {
                        0 => body[at] = rng.next() as u8,
                        1 => body.insert(at, rng.next() as u8),
                        _ => {
                            body.remove(at);
                        }
                    }
                }
            }
            // Truncate.
            _ => {
                let n = rng.below(body.len() + 1);
                body.truncate(n);
            }
        }
        fuzzing::frame_body(&state, kind, &body);
        fuzzing::connection_bytes(&state, &proto(kind, &body));
    }
    // Still answers a well-formed request.
    assert!(fuzzing::frame_body(&state, 1, b"build\n") > 0);
}

#[test]
fn random_collection_ops_never_panic() {
    let mut rng = Rng(0x00c0_ffee_0000_0002);
    for _ in 0..50_000 {
        let n = rng.below(64);
        let mut data = rng.bytes(n);
        // Bias towards plausible msgpack: arrays of small ints.
        if data.len() > 4 && rng.below(2) == 0 {
            let at = 2 + rng.below(data.len() - 2);
            data[at] = 0x90 | (rng.below(4) as u8);
        }
        fuzzing::collection(&data);
    }
}
