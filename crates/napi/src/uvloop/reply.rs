//! A reply read on this path, turned into the same answer the crate's path gives (a crate
//! `Record`, shaped and encoded by the same code), so the facade cannot tell the paths apart.

use aerospike::Record;
use aerospike_cdt::result::KEY_NOT_FOUND;
use aerospike_cdt::wire::msg::{Header, HEADER_LEN};

use crate::client::{shape_operate_result, Answer};
use crate::error::js_error;
pub use crate::particle::Malformed;
use crate::particle::{self, be32};

use super::request::Shape;

/// The answer of a complete reply body (`body`: the message after its proto header). `addr`
/// names the node in server errors, as the crate's messages do.
pub fn answer(
    body: &[u8],
    shape: Shape,
    addr: &str,
) -> Result<crate::error::Result<Answer>, Malformed> {
    let head: &[u8; HEADER_LEN] = body
        .get(..HEADER_LEN)
        .and_then(|h| h.try_into().ok())
        .ok_or(Malformed)?;
    let h = Header::decode(head);
    match (&shape, h.result) {
        (Shape::Exists | Shape::Remove, 0) => return Ok(Ok(Answer::Flag(true))),
        (Shape::Exists | Shape::Remove, KEY_NOT_FOUND) => return Ok(Ok(Answer::Flag(false))),
        (_, 0) => {}
        (_, rc) => {
            let msg = format!("{addr} AEROSPIKE_STATUS");
            return Ok(Err(js_error(rc as i32, false, msg)));
        }
    }
    let (decode, list, operate) = match shape {
        Shape::Put => return Ok(Ok(Answer::Empty)),
        Shape::Get(d) => (d, None, false),
        Shape::Operate(list, d) => (d, Some(list), true),
        Shape::Exists | Shape::Remove => return Err(Malformed),
    };
    let mut at = HEADER_LEN;
    for _ in 0..h.n_fields {
        let size = be32(body, at)? as usize;
        at = at.checked_add(4 + size).ok_or(Malformed)?;
    }
    let ops = body.get(at..).ok_or(Malformed)?;
    let (bins, results) = particle::bins(ops, h.n_ops as usize, operate, operate)?;
    let mut rec = Record::new(None, bins, results, h.generation, h.ttl);
    if let Some(list) = &list {
        shape_operate_result(&mut rec, list);
    }
    Ok(Ok(Answer::Record(rec, decode)))
}

/// The result code of a reply body, if it has a whole header.
pub fn result_code(body: &[u8]) -> Option<u8> {
    let head: &[u8; HEADER_LEN] = body.get(..HEADER_LEN)?.try_into().ok()?;
    Some(Header::decode(head).result)
}
