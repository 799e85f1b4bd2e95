//! Op payloads: `[op_code, param, …]` as a msgpack array, with typed access to the parameters.

use crate::rc;
use crate::value::{List, Reader, Value};

/// A decoded op: its code and positional parameters.
#[derive(Debug)]
pub struct Params {
    pub code: i64,
    pub args: Vec<Value>,
}

impl Params {
    /// Decodes `[op_code, params…]`.
    pub fn decode(buf: &[u8]) -> Result<Params, u8> {
        let v = crate::value::decode(buf).map_err(|_| rc::PARAMETER)?;
        Params::from_value(v)
    }

    pub fn from_value(v: Value) -> Result<Params, u8> {
        let Value::List(List { items, .. }) = v else {
            return Err(rc::PARAMETER);
        };
        let mut it = items.into_iter();
        let code = it.next().and_then(|c| c.as_int()).ok_or(rc::PARAMETER)?;
        Ok(Params {
            code,
            args: it.collect(),
        })
    }

    pub fn len(&self) -> usize {
        self.args.len()
    }

    pub fn is_empty(&self) -> bool {
        self.args.is_empty()
    }

    /// Refuses more than `max` parameters.
    pub fn at_most(&self, max: usize) -> Result<(), u8> {
        if self.args.len() > max {
            Err(rc::PARAMETER)
        } else {
            Ok(())
        }
    }

    /// A required parameter.
    pub fn value(&self, i: usize) -> Result<&Value, u8> {
        self.args.get(i).ok_or(rc::PARAMETER)
    }

    /// A required integer parameter.
    pub fn int(&self, i: usize) -> Result<i64, u8> {
        self.value(i)?.as_int().ok_or(rc::PARAMETER)
    }

    /// An optional integer parameter (absent or nil → `None`).
    pub fn opt_int(&self, i: usize) -> Result<Option<i64>, u8> {
        match self.args.get(i) {
            None | Some(Value::Nil) => Ok(None),
            Some(v) => v.as_int().map(Some).ok_or(rc::PARAMETER),
        }
    }

    /// An optional integer parameter with a default.
    pub fn int_or(&self, i: usize, default: i64) -> Result<i64, u8> {
        Ok(self.opt_int(i)?.unwrap_or(default))
    }

    /// A required list parameter.
    pub fn list(&self, i: usize) -> Result<&[Value], u8> {
        match self.value(i)? {
            Value::List(l) => Ok(&l.items),
            _ => Err(rc::PARAMETER),
        }
    }

    /// A required blob parameter (any string-class payload).
    pub fn bytes(&self, i: usize) -> Result<&[u8], u8> {
        match self.value(i)? {
            Value::Bytes(_, b) => Ok(b),
            _ => Err(rc::PARAMETER),
        }
    }

    /// Reads raw values one by one (for callers that need the undecoded shape).
    pub fn reader(buf: &[u8]) -> Reader<'_> {
        Reader::new(buf)
    }
}

/// The write flags list, map, bit and HLL ops share. Lists use 1 and 2 for ADD_UNIQUE and
/// INSERT_BOUNDED; HLLs use 8 for ALLOW_FOLD.
pub(crate) mod write_flags {
    pub const CREATE_ONLY: u64 = 1;
    pub const UPDATE_ONLY: u64 = 2;
    pub const NO_FAIL: u64 = 4;
    pub const DO_PARTIAL: u64 = 8;
}
