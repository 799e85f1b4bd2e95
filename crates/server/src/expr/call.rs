//! Collection calls: a list/map, bit or HyperLogLog op applied to a value (usually a bin).
//!
//! The op payload is rebuilt with each expression parameter replaced by its packed value and
//! run through `aerospike_cdt::apply` on the operand. Read calls return the op's result; the
//! modify-local variants return the changed container (the record is never touched). A call
//! whose operand or parameter is unknown, whose op fails, or whose result is not of the
//! declared type, is unknown.

use super::ast::{Call, Node, Param};
use super::mp;
use super::value::Val;
use aerospike_cdt::Kind;

const MODIFY_LOCAL: u64 = 0x40;

/// Evaluates a call; `eval` evaluates its operand and expression parameters.
pub fn eval_call(c: &Call, eval: &mut dyn FnMut(&Node) -> Val) -> Val {
    let Some(op) = payload(c, eval) else {
        return Val::Unknown;
    };
    let operand = eval(&c.bin);
    let Some(current) = operand.as_container() else {
        return Val::Unknown;
    };
    let modify = c.system & MODIFY_LOCAL != 0;
    let kind = match (c.system & !MODIFY_LOCAL, modify) {
        (0, false) => Kind::CdtRead,
        (0, true) => Kind::CdtModify,
        (1, false) => Kind::BitRead,
        (1, true) => Kind::BitModify,
        (_, false) => Kind::HllRead,
        (_, true) => Kind::HllModify,
    };
    let Ok(out) = aerospike_cdt::apply(kind, current, &op) else {
        return Val::Unknown;
    };
    let value = if modify {
        match out.new_value {
            None => Some(operand.clone()),
            Some(None) => Some(Val::Nil),
            Some(Some(p)) => Val::from_result(Some(&p)),
        }
    } else {
        Val::from_result(out.result.as_ref())
    };
    match value {
        Some(v) if v.particle().is_some() && v.particle() == c.ty.particle() => v,
        _ => Val::Unknown,
    }
}

/// The op bytes with expression parameters evaluated; `None` if one is unknown.
fn payload(c: &Call, eval: &mut dyn FnMut(&Node) -> Val) -> Option<Vec<u8>> {
    let mut op = Vec::new();
    mp::array_header(c.params.len() + 1, &mut op);
    aerospike_cdt::value::encode_int(c.op as i64, &mut op);
    for p in &c.params {
        match p {
            Param::Raw(b) => op.extend_from_slice(b),
            Param::Exp(n) => op.extend_from_slice(&eval(n).to_msgpack()?),
        }
    }
    let Some(ctx) = &c.ctx else {
        return Some(op);
    };
    let mut out = vec![0x93, 0xcc, 0xff];
    out.extend_from_slice(ctx);
    out.extend_from_slice(&op);
    Some(out)
}
