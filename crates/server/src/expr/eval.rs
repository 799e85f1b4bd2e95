//! Evaluating a built expression against a record: dispatch, logic, `cond`, `let`/`var` and bin
//! reads. Comparisons, arithmetic, metadata and collection calls live in their own modules.

use super::ast::Node;
use super::env::Env;
use super::value::Val;
use super::{arith, call, compare, geo, meta};

/// Evaluation state: the environment and the `let` variable slots.
pub struct Rt<'a> {
    pub env: &'a Env<'a>,
    pub vars: Vec<Val>,
}

impl<'a> Rt<'a> {
    pub fn new(env: &'a Env<'a>, vars: usize) -> Self {
        Rt {
            env,
            vars: vec![Val::Unknown; vars],
        }
    }
}

/// The truth value of a boolean-typed result: `None` for unknown.
fn truth(v: &Val) -> Option<bool> {
    match v {
        Val::Bool(b) => Some(*b),
        _ => None,
    }
}

fn trilean(t: Option<bool>) -> Val {
    t.map_or(Val::Unknown, Val::Bool)
}

/// `and` (`decisive` false) or `or` (`decisive` true): the first argument equal to `decisive`
/// decides; otherwise any unknown argument makes the whole unknown.
fn all_or_any(args: &[Node], rt: &mut Rt<'_>, decisive: bool) -> Val {
    let mut out = Some(!decisive);
    for a in args {
        match truth(&eval(a, rt)) {
            Some(b) if b == decisive => return Val::Bool(decisive),
            None => out = None,
            Some(_) => {}
        }
    }
    trilean(out)
}

/// The values of a two-operand node's operands, or the first one that is unknown (the second
/// is then not evaluated): an unknown operand makes the whole node unknown.
fn operands(args: &[Node; 2], rt: &mut Rt<'_>) -> Result<(Val, Val), Val> {
    let a = eval(&args[0], rt);
    if a.is_unknown() {
        return Err(a);
    }
    let b = eval(&args[1], rt);
    if b.is_unknown() {
        return Err(b);
    }
    Ok((a, b))
}

/// Evaluates one node.
pub fn eval(node: &Node, rt: &mut Rt<'_>) -> Val {
    match node {
        Node::Value(v) => v.clone(),
        Node::Unknown | Node::LoopVar => Val::Unknown,
        Node::Compare(op, args) => match operands(args, rt) {
            Ok((a, b)) => compare::compare(*op, &a, &b),
            Err(unknown) => unknown,
        },
        Node::Regex(re, s) => match eval(s, rt) {
            Val::Str(s) => {
                // The subject is handed to the matcher as a C string.
                let end = s.iter().position(|&c| c == 0).unwrap_or(s.len());
                Val::Bool(re.is_match(&s[..end]))
            }
            _ => Val::Unknown,
        },
        Node::Geo(args) => match operands(args, rt) {
            Ok((Val::Geo(a), Val::Geo(b))) => {
                match (geo::Shape::parse(&a), geo::Shape::parse(&b)) {
                    (Some(a), Some(b)) => Val::Bool(geo::matches(&a, &b)),
                    _ => Val::Unknown,
                }
            }
            Ok(_) => Val::Unknown,
            Err(unknown) => unknown,
        },
        Node::InList(args) => match operands(args, rt) {
            Ok((v, list)) => compare::in_list(&v, &list),
            Err(unknown) => unknown,
        },
        Node::And(args) => all_or_any(args, rt, false),
        Node::Or(args) => all_or_any(args, rt, true),
        Node::Not(a) => trilean(truth(&eval(a, rt)).map(|b| !b)),
        Node::Exclusive(args) => {
            // Exactly one argument true; any unknown makes the whole unknown.
            let mut seen = false;
            for a in args {
                match truth(&eval(a, rt)) {
                    None => return Val::Unknown,
                    Some(true) if seen => return Val::Bool(false),
                    Some(true) => seen = true,
                    Some(false) => {}
                }
            }
            Val::Bool(seen)
        }
        Node::Math(op, args) => {
            // The operands in order, stopping at the first unknown.
            let mut vals = Vec::with_capacity(args.len());
            for a in args {
                let v = eval(a, rt);
                if v.is_unknown() {
                    return v;
                }
                vals.push(v);
            }
            arith::eval_math(*op, &vals)
        }
        Node::Meta(m) => meta::eval(*m, rt.env),
        Node::DigestModulo(m) => meta::digest_modulo(*m, rt.env),
        Node::Key(ty) => meta::key(*ty, rt.env),
        Node::Bin(ty, name) => match rt.env.rec.bin(name) {
            Some(v) if Some(v.particle) == ty.particle() => {
                Val::from_bin(v).unwrap_or(Val::Unknown)
            }
            _ => Val::Unknown,
        },
        Node::BinType(name) => Val::Int(rt.env.rec.bin(name).map_or(0, |v| v.particle as i64)),
        Node::RemoveResult => Val::Remove,
        Node::MapEntries(a, values) => {
            let v = eval(a, rt);
            compare::map_entries(&v, *values)
        }
        Node::Cond(nodes) => {
            let (cases, default) = nodes.split_at(nodes.len() - 1);
            for pair in cases.chunks(2) {
                match truth(&eval(&pair[0], rt)) {
                    None => return Val::Unknown,
                    Some(true) => return eval(&pair[1], rt),
                    Some(false) => {}
                }
            }
            eval(&default[0], rt)
        }
        Node::Var(idx) => rt.vars.get(*idx).cloned().unwrap_or(Val::Unknown),
        Node::Let(defs, scope) => {
            for (idx, def) in defs {
                let v = eval(def, rt);
                if let Some(slot) = rt.vars.get_mut(*idx) {
                    *slot = v;
                }
            }
            eval(scope, rt)
        }
        Node::Call(c) => call::eval_call(c, &mut |n| eval(n, rt)),
    }
}
