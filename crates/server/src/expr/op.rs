//! The expression ops: EXP_READ (op 7) returns an expression's value under the op's bin name,
//! EXP_MODIFY (op 8) writes it to that bin. The op value is `[expression, flags]`.

use super::env::Env;
use super::mp::Mp;
use super::{Expr, PARAMETER};
use crate::ops::bin_name;
use crate::record::Digest;
use crate::record::{Record, Value};
use crate::result as rc;

/// EXP_MODIFY: fail (or skip) when the bin already exists.
pub const CREATE_ONLY: u64 = 1;
/// EXP_MODIFY: fail (or skip) when the bin does not exist.
pub const UPDATE_ONLY: u64 = 2;
/// EXP_MODIFY: a nil result deletes the bin.
pub const ALLOW_DELETE: u64 = 4;
/// EXP_MODIFY: a create-only/update-only/delete refusal is a silent no-op.
pub const POLICY_NO_FAIL: u64 = 8;
/// Both ops: an expression that yields no storable value is a no-op, not an error.
pub const EVAL_NO_FAIL: u64 = 16;

const MODIFY_FLAGS: u64 = CREATE_ONLY | UPDATE_ONLY | ALLOW_DELETE | POLICY_NO_FAIL | EVAL_NO_FAIL;

/// Parses and builds `[expression, flags]`.
fn parse_op(value: &[u8], modify: bool) -> Result<(Expr, u64), u8> {
    let mut mp = Mp::new(value);
    let n = mp.array().ok_or(PARAMETER)?;
    if n == 0 || n > 2 {
        return Err(PARAMETER);
    }
    let exp = mp.skip().ok_or(PARAMETER)?;
    let flags = if n == 2 { mp.uint().unwrap_or(0) } else { 0 };
    let allowed = if modify { MODIFY_FLAGS } else { EVAL_NO_FAIL };
    if flags & !allowed != 0 {
        return Err(PARAMETER);
    }
    Ok((Expr::build(exp)?, flags))
}

/// EXP_READ: the value to return (`None` for nil).
pub fn read(env: &Env<'_>, value: &[u8]) -> Result<Option<Value>, u8> {
    let (e, flags) = parse_op(value, false)?;
    match e.eval(env).into_bin() {
        Ok(v) => Ok(v),
        Err(()) if flags & EVAL_NO_FAIL != 0 => Ok(None),
        Err(()) => Err(rc::OP_NOT_APPLICABLE),
    }
}

/// EXP_MODIFY: evaluates against `rec` (as the command has changed it so far) and writes the
/// result to the bin `name`.
pub fn modify(
    rec: &mut Record,
    digest: &Digest,
    now_ns: u64,
    name: &[u8],
    value: &[u8],
) -> Result<(), u8> {
    let name = bin_name(name)?;
    if name.is_empty() {
        return Err(rc::BIN_NAME);
    }
    let (e, flags) = parse_op(value, true)?;
    let no_fail = flags & POLICY_NO_FAIL != 0;
    let was_live = rec.bin(name.as_bytes()).is_some();
    if was_live && flags & CREATE_ONLY != 0 {
        return if no_fail { Ok(()) } else { Err(rc::BIN_EXISTS) };
    }
    if !was_live && flags & UPDATE_ONLY != 0 {
        return if no_fail {
            Ok(())
        } else {
            Err(rc::BIN_NOT_FOUND)
        };
    }
    let env = Env {
        rec,
        digest,
        now_ns,
    };
    let new = match e.eval(&env).into_bin() {
        Ok(v) => v,
        Err(()) if flags & EVAL_NO_FAIL != 0 => return Ok(()),
        Err(()) => return Err(rc::OP_NOT_APPLICABLE),
    };
    if new.is_none() && was_live && flags & ALLOW_DELETE == 0 {
        // The server lets any flag at all turn this refusal into a no-op.
        return if flags != 0 {
            Ok(())
        } else {
            Err(rc::OP_NOT_APPLICABLE)
        };
    }
    rec.set_bin(name, new);
    Ok(())
}
