//! Aerospike expressions: filter expressions (field 43) and the expression read/modify ops.
//!
//! An expression arrives as msgpack (arrays whose first element is an op code, literals
//! otherwise). [`parse`] builds it with the server's static checks, [`eval`] evaluates it
//! against a record with three-valued logic. A filter passes only when it evaluates to true;
//! an expression that cannot be built is a PARAMETER error.
//!
//! One concept per module: [`mp`] (msgpack cursor), [`value`] (runtime values), [`ast`],
//! [`parse`], [`eval`], [`compare`], [`arith`], [`meta`] (record metadata), [`call`]
//! (list/map/bit/HLL calls), [`regex`], [`geo`] and [`json`], [`op`] (EXP_READ/EXP_MODIFY).

pub mod arith;
pub mod ast;
pub mod call;
pub mod compare;
pub mod env;
pub mod eval;
pub mod geo;
pub mod json;
pub mod meta;
pub mod mp;
pub mod op;
pub mod parse;
pub mod regex;
pub mod value;

use crate::record::{Digest, Record};
pub use env::Env;
pub use value::{Ty, Val};

/// Result code for expressions that cannot be built.
pub const PARAMETER: u8 = crate::result::PARAMETER;

/// A built expression, ready to evaluate any number of times.
#[derive(Debug)]
pub struct Expr {
    built: parse::Built,
}

impl Expr {
    /// Builds an expression (for the expression ops: any storable result type).
    pub fn build(bytes: &[u8]) -> Result<Expr, u8> {
        Ok(Expr {
            built: parse::build(bytes)?,
        })
    }

    /// Builds a filter expression: it must be boolean.
    pub fn filter(bytes: &[u8]) -> Result<Expr, u8> {
        let e = Expr::build(bytes)?;
        if e.built.ty != Ty::Bool {
            return Err(PARAMETER);
        }
        Ok(e)
    }

    /// The expression's static result type.
    pub fn ty(&self) -> Ty {
        self.built.ty
    }

    /// Evaluates against a record.
    pub fn eval(&self, env: &Env<'_>) -> Val {
        let mut rt = eval::Rt::new(env, self.built.vars);
        eval::eval(&self.built.node, &mut rt)
    }

    /// Whether a record passes (the expression is true; false and unknown do not pass).
    pub fn matches(&self, env: &Env<'_>) -> bool {
        self.eval(env) == Val::Bool(true)
    }
}

/// Whether a record passes a filter expression (every record passes when there is none).
pub fn passes(filter: Option<&Expr>, rec: &Record, digest: &Digest, now_ns: u64) -> bool {
    filter.is_none_or(|f| {
        f.matches(&Env {
            rec,
            digest,
            now_ns,
        })
    })
}

#[cfg(test)]
mod tests;
