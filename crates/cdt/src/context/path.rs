//! CDT context paths: the msgpack `[type, value, …]` list that leads an op, or a secondary
//! index, to a nested element of a list/map bin. A step selects by list index, rank or value,
//! or by map index, rank, key or value; an op's step may also carry create flags (the top two
//! bits of its type), which say what to build when the element is missing.

use std::cmp::Ordering;

use crate::rc;
use crate::select::{single_index, View};
use crate::value::{compare, decode, List, Value};

pub const LIST_INDEX: i64 = 0x10;
pub const LIST_RANK: i64 = 0x11;
pub const LIST_VALUE: i64 = 0x13;
pub const MAP_INDEX: i64 = 0x20;
pub const MAP_RANK: i64 = 0x21;
pub const MAP_KEY: i64 = 0x22;
pub const MAP_VALUE: i64 = 0x23;
/// The create flags of a step's type.
pub const CREATE_MASK: i64 = 0xc0;

/// One step of a path.
#[derive(Debug, Clone)]
pub struct Step {
    /// The step type without its create flags.
    pub kind: i64,
    /// The create flags (0 when the step only selects).
    pub create: i64,
    pub arg: Value,
}

/// A parsed context: the steps, in order.
#[derive(Debug, Clone, Default)]
pub struct Path {
    pub steps: Vec<Step>,
}

impl Path {
    /// Parses an op's context; a malformed one is PARAMETER.
    pub fn from_value(v: &Value) -> Result<Path, u8> {
        steps(v, false).ok_or(rc::PARAMETER)
    }

    /// Parses packed context bytes as a secondary index takes them: the steps only select, so
    /// create flags are refused, positional steps need an integer and no step takes a wildcard
    /// or infinity. `None` when they are not a valid index context.
    pub fn parse_index(bytes: &[u8]) -> Option<Path> {
        steps(&decode(bytes).ok()?, true)
    }

    /// The element the path leads to, if every step finds one (nothing is created).
    pub fn walk<'a>(&self, root: &'a Value) -> Option<&'a Value> {
        self.steps
            .iter()
            .try_fold(root, |v, s| match (s.position(v), v) {
                (Ok(Some(i)), Value::List(l)) => l.items.get(i),
                (Ok(Some(i)), Value::Map(m)) => m.entries.get(i).map(|e| &e.1),
                _ => None,
            })
    }
}

fn steps(v: &Value, index: bool) -> Option<Path> {
    let Value::List(List { items, .. }) = v else {
        return None;
    };
    if items.is_empty() || items.len() % 2 != 0 {
        return None;
    }
    let steps = items
        .chunks(2)
        .map(|pair| {
            let (t, arg) = (pair[0].as_int()?, &pair[1]);
            let kind = t & !CREATE_MASK & 0xff;
            let positional = matches!(kind, LIST_INDEX | LIST_RANK | MAP_INDEX | MAP_RANK);
            let by_value = matches!(kind, LIST_VALUE | MAP_KEY | MAP_VALUE);
            if !(positional || by_value) {
                return None;
            }
            if index && (t != kind || arg.is_special() || positional && arg.as_int().is_none()) {
                return None;
            }
            Some(Step {
                kind,
                create: t & CREATE_MASK,
                arg: arg.clone(),
            })
        })
        .collect::<Option<Vec<_>>>()?;
    Some(Path { steps })
}

impl Step {
    /// Where the step lands in `v`: the position of a list item or of a map entry, `None` when
    /// no element matches. A container of the other kind is OP_NOT_APPLICABLE, a positional
    /// step without an integer PARAMETER.
    pub fn position(&self, v: &Value) -> Result<Option<usize>, u8> {
        let equal = |x: &Value| compare(x, &self.arg) == Ordering::Equal;
        let int = || self.arg.as_int().ok_or(rc::PARAMETER);
        Ok(match (self.kind, v) {
            (LIST_INDEX, Value::List(l)) => single_index(int()?, l.items.len()),
            (LIST_RANK, Value::List(l)) => {
                let view = View::list(l);
                single_index(int()?, view.len()).map(|r| view.by_rank[r])
            }
            (LIST_VALUE, Value::List(l)) => l.items.iter().position(equal),
            (MAP_INDEX | MAP_RANK, Value::Map(m)) => {
                let view = View::map(m);
                let order = match self.kind {
                    MAP_INDEX => &view.by_index,
                    _ => &view.by_rank,
                };
                single_index(int()?, view.len()).map(|i| order[i])
            }
            (MAP_KEY, Value::Map(m)) => m.entries.iter().position(|(k, _)| equal(k)),
            (MAP_VALUE, Value::Map(m)) => m.entries.iter().position(|(_, x)| equal(x)),
            _ => return Err(rc::OP_NOT_APPLICABLE),
        })
    }
}
