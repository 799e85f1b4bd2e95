//! Building an expression from its wire form, with the server's static checks: exact argument
//! counts, operand types (a comparison of an int with a string, arithmetic on strings, a
//! filter that is not boolean… are all refused with PARAMETER before anything is evaluated),
//! variable scoping, regex and GeoJSON literal validity.

use super::ast::{code, Call, Cmp, Math, Meta, Node, Param};
use super::mp::{Kind, Mp};
use super::regex::Regex;
use super::value::{Ty, Val};
use super::{geo, PARAMETER};
use crate::record::{particle, MAX_BIN_NAME};

/// Deepest nesting accepted (keeps recursion bounded on hostile input).
const MAX_DEPTH: usize = 256;
/// The collection op code of a context-wrapped payload `[0xff, ctx, op]`.
const CONTEXT_EVAL: u64 = 0xff;
/// Number of path-expression loop variables.
const LOOPVARS: u64 = 3;

/// A built expression.
#[derive(Debug)]
pub struct Built {
    pub node: Node,
    pub ty: Ty,
    /// Number of `let` variable slots evaluation needs.
    pub vars: usize,
}

/// Builds the expression in `buf`, which must hold exactly one.
pub fn build(buf: &[u8]) -> Result<Built, u8> {
    let mut b = Builder {
        mp: Mp::new(buf),
        vars: Vec::new(),
        next_var: 0,
        max_vars: 0,
        depth: 0,
    };
    let t = b.next()?;
    if !b.mp.at_end() || t.ty == Ty::End {
        return Err(PARAMETER);
    }
    Ok(Built {
        node: t.node,
        ty: t.ty,
        vars: b.max_vars,
    })
}

/// A node with its static type. `unk` marks the UNKNOWN op (allowed as any branch of `cond`).
struct Typed {
    node: Node,
    ty: Ty,
    unk: bool,
}

fn typed(node: Node, ty: Ty) -> Typed {
    Typed {
        node,
        ty,
        unk: false,
    }
}

struct VarEntry<'a> {
    name: &'a [u8],
    idx: usize,
    /// `None` while its definition is being built.
    ty: Option<Ty>,
}

struct Builder<'a> {
    mp: Mp<'a>,
    vars: Vec<VarEntry<'a>>,
    next_var: usize,
    max_vars: usize,
    depth: usize,
}

fn check(ok: bool) -> Result<(), u8> {
    if ok {
        Ok(())
    } else {
        Err(PARAMETER)
    }
}

fn valid_bin_name(name: &[u8]) -> bool {
    name.len() <= MAX_BIN_NAME && !name.contains(&0)
}

fn valid_var_name(name: &[u8]) -> bool {
    match name.split_first() {
        Some((first, rest)) => {
            (first.is_ascii_alphabetic() || *first == b'_')
                && rest.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'_')
        }
        None => false,
    }
}

impl<'a> Builder<'a> {
    fn next(&mut self) -> Result<Typed, u8> {
        if self.mp.peek() != Kind::Array {
            return self.literal();
        }
        self.depth += 1;
        check(self.depth <= MAX_DEPTH)?;
        let n = self.mp.array().ok_or(PARAMETER)?;
        check(n > 0)?;
        let op = self.mp.uint().ok_or(PARAMETER)?;
        let out = self.op(op, n - 1);
        self.depth -= 1;
        out
    }

    fn literal(&mut self) -> Result<Typed, u8> {
        let mp = &mut self.mp;
        let (v, ty) = match mp.peek() {
            Kind::Nil => {
                mp.skip();
                (Val::Nil, Ty::Nil)
            }
            Kind::Bool => (Val::Bool(mp.bool().ok_or(PARAMETER)?), Ty::Bool),
            Kind::Int => (Val::Int(mp.int().ok_or(PARAMETER)?), Ty::Int),
            Kind::Float => (Val::Float(mp.float().ok_or(PARAMETER)?), Ty::Float),
            Kind::Bytes => {
                let b = mp.bytes().ok_or(PARAMETER)?;
                let (&pt, data) = b.split_first().ok_or(PARAMETER)?;
                let data = data.to_vec();
                match pt {
                    particle::STRING => (Val::Str(data), Ty::Str),
                    particle::BLOB => (Val::Blob(data), Ty::Blob),
                    particle::HLL => (Val::Hll(data), Ty::Hll),
                    particle::GEOJSON => {
                        geo::Shape::parse(&data).ok_or(PARAMETER)?;
                        (Val::Geo(data), Ty::Geo)
                    }
                    _ => return Err(PARAMETER),
                }
            }
            Kind::Map => (Val::Map(mp.skip().ok_or(PARAMETER)?.to_vec()), Ty::Map),
            Kind::Ext => (Val::Msgpack(mp.skip().ok_or(PARAMETER)?.to_vec()), Ty::End),
            Kind::Array | Kind::Invalid => return Err(PARAMETER),
        };
        Ok(typed(Node::Value(v), ty))
    }

    /// Builds `n` arguments, each of which must have type `want`.
    fn args_of(&mut self, n: usize, want: Ty) -> Result<Vec<Node>, u8> {
        let mut out = Vec::with_capacity(n.min(64));
        for _ in 0..n {
            let t = self.next()?;
            check(t.ty == want)?;
            out.push(t.node);
        }
        Ok(out)
    }

    fn two(&mut self) -> Result<(Typed, Typed), u8> {
        Ok((self.next()?, self.next()?))
    }

    fn name(&mut self) -> Result<&'a [u8], u8> {
        self.mp.bytes().ok_or(PARAMETER)
    }

    fn op(&mut self, op: u64, n: usize) -> Result<Typed, u8> {
        use code::*;
        match op {
            UNKNOWN => {
                check(n == 0)?;
                Ok(Typed {
                    node: Node::Unknown,
                    ty: Ty::Bool,
                    unk: true,
                })
            }
            EQ..=IN_LIST => self.comparison(op, n),
            AND..=EXCLUSIVE => self.logic(op, n),
            ADD..=DIV | MIN | MAX => self.variadic_math(op, n),
            POW..=INT_RSCAN => self.math(op, n),
            DIGEST_MODULO..=RECORD_SIZE => self.meta(op, n),
            COND => self.cond(n),
            LET => self.let_(n),
            CALL => {
                check(n == 4)?;
                self.call()
            }
            _ => self.other(op, n),
        }
    }

    fn comparison(&mut self, op: u64, n: usize) -> Result<Typed, u8> {
        use code::*;
        check(n == 2 || (op == REGEX && n == 3))?;
        let node = match op {
            REGEX => {
                let flags = self.mp.int().ok_or(PARAMETER)?;
                let pattern = self.name()?;
                let s = self.next()?;
                check(s.ty == Ty::Str)?;
                // The pattern is a C string: it ends at the first NUL.
                let end = pattern
                    .iter()
                    .position(|&c| c == 0)
                    .unwrap_or(pattern.len());
                let re = Regex::new(&pattern[..end], flags).ok_or(PARAMETER)?;
                Node::Regex(Box::new(re), Box::new(s.node))
            }
            GEO => {
                let (a, b) = self.two()?;
                check(a.ty == Ty::Geo && b.ty == Ty::Geo)?;
                Node::Geo(Box::new([a.node, b.node]))
            }
            IN_LIST => {
                let (a, b) = self.two()?;
                check(b.ty == Ty::List)?;
                Node::InList(Box::new([a.node, b.node]))
            }
            _ => {
                let (a, b) = self.two()?;
                check(a.ty == b.ty && !matches!(a.ty, Ty::Geo | Ty::Hll | Ty::Remove))?;
                let cmp =
                    [Cmp::Eq, Cmp::Ne, Cmp::Gt, Cmp::Ge, Cmp::Lt, Cmp::Le][(op - EQ) as usize];
                Node::Compare(cmp, Box::new([a.node, b.node]))
            }
        };
        Ok(typed(node, Ty::Bool))
    }

    fn logic(&mut self, op: u64, n: usize) -> Result<Typed, u8> {
        use code::*;
        check(if op == NOT { n == 1 } else { n >= 2 })?;
        let mut args = self.args_of(n, Ty::Bool)?;
        let node = match op {
            AND => Node::And(args),
            OR => Node::Or(args),
            NOT => Node::Not(Box::new(args.pop().ok_or(PARAMETER)?)),
            _ => Node::Exclusive(args),
        };
        Ok(typed(node, Ty::Bool))
    }

    fn variadic_math(&mut self, op: u64, n: usize) -> Result<Typed, u8> {
        use code::*;
        check(n >= 1)?;
        let first = self.next()?;
        check(matches!(first.ty, Ty::Int | Ty::Float))?;
        let mut args = vec![first.node];
        args.extend(self.args_of(n - 1, first.ty)?);
        let m = match op {
            ADD => Math::Add,
            SUB => Math::Sub,
            MUL => Math::Mul,
            DIV => Math::Div,
            MIN => Math::Min,
            _ => Math::Max,
        };
        Ok(typed(Node::Math(m, args), first.ty))
    }

    /// The fixed-arity numeric operators: (operator, operand types, result type).
    fn math(&mut self, op: u64, n: usize) -> Result<Typed, u8> {
        use code::*;
        use Ty::{Bool as B, Float as F, Int as I};
        let (m, operands, ty): (Math, &[Ty], Ty) = match op {
            POW => (Math::Pow, &[F, F], F),
            LOG => (Math::Log, &[F, F], F),
            MOD => (Math::Mod, &[I, I], I),
            FLOOR => (Math::Floor, &[F], F),
            CEIL => (Math::Ceil, &[F], F),
            TO_INT => (Math::ToInt, &[F], I),
            TO_FLOAT => (Math::ToFloat, &[I], F),
            INT_NOT => (Math::IntNot, &[I], I),
            INT_COUNT => (Math::Count, &[I], I),
            INT_LSHIFT => (Math::Lshift, &[I, I], I),
            INT_RSHIFT => (Math::Rshift, &[I, I], I),
            INT_ARSHIFT => (Math::Arshift, &[I, I], I),
            INT_LSCAN => (Math::Lscan, &[I, B], I),
            INT_RSCAN => (Math::Rscan, &[I, B], I),
            ABS => {
                check(n == 1)?;
                let a = self.next()?;
                check(matches!(a.ty, I | F))?;
                return Ok(typed(Node::Math(Math::Abs, vec![a.node]), a.ty));
            }
            INT_AND | INT_OR | INT_XOR => {
                check(n >= 1)?;
                let args = self.args_of(n, I)?;
                let m = [Math::IntAnd, Math::IntOr, Math::IntXor][(op - INT_AND) as usize];
                return Ok(typed(Node::Math(m, args), I));
            }
            _ => return Err(PARAMETER),
        };
        check(n == operands.len())?;
        let mut args = Vec::with_capacity(n);
        for want in operands {
            let t = self.next()?;
            check(t.ty == *want)?;
            args.push(t.node);
        }
        Ok(typed(Node::Math(m, args), ty))
    }

    fn meta(&mut self, op: u64, n: usize) -> Result<Typed, u8> {
        use code::*;
        if op == DIGEST_MODULO {
            check(n == 1)?;
            let m = self.mp.int().ok_or(PARAMETER)? as i32;
            check(m != 0)?;
            return Ok(typed(Node::DigestModulo(m as i64), Ty::Int));
        }
        check(n == 0)?;
        let (m, ty) = match op {
            DEVICE_SIZE => (Meta::DeviceSize, Ty::Int),
            LAST_UPDATE => (Meta::LastUpdate, Ty::Int),
            SINCE_UPDATE => (Meta::SinceUpdate, Ty::Int),
            VOID_TIME => (Meta::VoidTime, Ty::Int),
            TTL => (Meta::Ttl, Ty::Int),
            SET_NAME => (Meta::SetName, Ty::Str),
            KEY_EXISTS => (Meta::KeyExists, Ty::Bool),
            IS_TOMBSTONE => (Meta::IsTombstone, Ty::Bool),
            MEMORY_SIZE => (Meta::MemorySize, Ty::Int),
            RECORD_SIZE => (Meta::RecordSize, Ty::Int),
            _ => return Err(PARAMETER),
        };
        Ok(typed(Node::Meta(m), ty))
    }

    /// Key, bins, variables, quoting and the rest.
    fn other(&mut self, op: u64, n: usize) -> Result<Typed, u8> {
        use code::*;
        let want = |k: usize| check(n == k);
        Ok(match op {
            KEY => {
                want(1)?;
                let ty = Ty::from_wire(self.mp.uint().ok_or(PARAMETER)?).ok_or(PARAMETER)?;
                check(matches!(ty, Ty::Int | Ty::Str | Ty::Blob))?;
                typed(Node::Key(ty), ty)
            }
            BIN => {
                want(2)?;
                let ty = Ty::from_wire(self.mp.uint().ok_or(PARAMETER)?).ok_or(PARAMETER)?;
                let name = self.name()?;
                check(valid_bin_name(name))?;
                typed(Node::Bin(ty, name.to_vec()), ty)
            }
            BIN_TYPE => {
                want(1)?;
                let name = self.name()?;
                check(valid_bin_name(name))?;
                typed(Node::BinType(name.to_vec()), Ty::Int)
            }
            REMOVE_RESULT => {
                want(0)?;
                typed(Node::RemoveResult, Ty::Remove)
            }
            MAP_KEYS | MAP_VALUES => {
                want(1)?;
                let a = self.next()?;
                typed(
                    Node::MapEntries(Box::new(a.node), op == MAP_VALUES),
                    Ty::List,
                )
            }
            LOOPVAR => {
                want(2)?;
                let ty = Ty::from_wire(self.mp.uint().ok_or(PARAMETER)?).ok_or(PARAMETER)?;
                let idx = self.mp.uint().ok_or(PARAMETER)?;
                check(idx < LOOPVARS && (idx != 2 || ty == Ty::Int))?;
                typed(Node::LoopVar, ty)
            }
            VAR => {
                want(1)?;
                let name = self.name()?;
                let e = self.vars.iter().rev().find(|e| e.name == name);
                let e = e.ok_or(PARAMETER)?;
                let ty = e.ty.ok_or(PARAMETER)?;
                check(ty != Ty::End)?;
                typed(Node::Var(e.idx), ty)
            }
            QUOTE => {
                want(1)?;
                check(self.mp.peek() == Kind::Array)?;
                let raw = self.mp.skip().ok_or(PARAMETER)?;
                typed(Node::Value(Val::List(raw.to_vec())), Ty::List)
            }
            _ => return Err(PARAMETER),
        })
    }

    fn cond(&mut self, n: usize) -> Result<Typed, u8> {
        check(n >= 3 && n % 2 == 1)?;
        let mut ty: Option<Ty> = None;
        let mut nodes = Vec::with_capacity(n);
        for _ in 0..n / 2 {
            let c = self.next()?;
            check(c.ty == Ty::Bool)?;
            nodes.push(c.node);
            let v = self.next()?;
            if !v.unk {
                check(*ty.get_or_insert(v.ty) == v.ty)?;
            }
            nodes.push(v.node);
        }
        let d = self.next()?;
        match ty {
            None => ty = Some(d.ty),
            Some(t) => check(d.unk || d.ty == t)?,
        }
        nodes.push(d.node);
        let ty = ty.unwrap_or(Ty::Bool);
        check(ty != Ty::End)?;
        Ok(typed(Node::Cond(nodes), ty))
    }

    fn let_(&mut self, n: usize) -> Result<Typed, u8> {
        check(n >= 3 && n % 2 == 1)?;
        let defined = n / 2;
        let mut defs = Vec::with_capacity(defined);
        for _ in 0..defined {
            let name = self.name()?;
            check(valid_var_name(name))?;
            check(!self.vars.iter().any(|e| e.name == name))?;
            let idx = self.next_var;
            self.next_var += 1;
            self.vars.push(VarEntry {
                name,
                idx,
                ty: None,
            });
            let v = self.next()?;
            if let Some(e) = self.vars.last_mut() {
                e.ty = Some(v.ty);
            }
            defs.push((idx, v.node));
        }
        let scope = self.next()?;
        self.max_vars = self.max_vars.max(self.next_var);
        self.next_var -= defined;
        self.vars.truncate(self.vars.len() - defined);
        Ok(Typed {
            node: Node::Let(defs, Box::new(scope.node)),
            ty: scope.ty,
            unk: scope.unk,
        })
    }

    fn call(&mut self) -> Result<Typed, u8> {
        let declared = Ty::from_wire(self.mp.uint().ok_or(PARAMETER)?).ok_or(PARAMETER)?;
        let system = self.mp.uint().ok_or(PARAMETER)?;
        check(system & !0x40 <= 2)?;
        let mut n = self.mp.array().ok_or(PARAMETER)?;
        check(n > 0)?;
        let mut op = self.mp.uint().ok_or(PARAMETER)?;
        let mut ctx = None;
        if op == CONTEXT_EVAL {
            check(n == 3)?;
            ctx = Some(self.mp.skip().ok_or(PARAMETER)?.to_vec());
            n = self.mp.array().ok_or(PARAMETER)?;
            check(n > 0)?;
            op = self.mp.uint().ok_or(PARAMETER)?;
        }
        // SELECT (path expressions) belongs to servers newer than the one emulated.
        check(op != 0xfe)?;
        let mut params = Vec::with_capacity(n - 1);
        for _ in 1..n {
            if self.mp.peek() == Kind::Array {
                params.push(Param::Exp(self.next()?.node));
            } else {
                params.push(Param::Raw(self.mp.skip().ok_or(PARAMETER)?.to_vec()));
            }
        }
        let bin = self.next()?;
        let ty = if bin.ty == Ty::Nil {
            // The server keeps the nil operand's type as the call's type here.
            Ty::Nil
        } else {
            let ok = match system & !0x40 {
                0 => matches!(bin.ty, Ty::List | Ty::Map),
                1 => bin.ty == Ty::Blob,
                _ => bin.ty == Ty::Hll,
            };
            check(ok)?;
            declared
        };
        let call = Call {
            ty: declared,
            system,
            ctx,
            op,
            params,
            bin: bin.node,
        };
        Ok(typed(Node::Call(Box::new(call)), ty))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ty(hex: &str) -> Result<Ty, u8> {
        let bytes: Vec<u8> = (0..hex.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
            .collect();
        build(&bytes).map(|b| b.ty)
    }

    #[test]
    fn types_of_client_encodings() {
        // Encodings captured from the official Node.js client.
        assert_eq!(ty("9301935102a6696e7456616c2a"), Ok(Ty::Bool)); // binInt == 42
        assert_eq!(
            ty("930184c70001c0a2036103a2036202a2036301935105a36d6170"),
            Ok(Ty::Bool)
        );
        assert_eq!(ty("9301927e93040200935104a46c697374"), Ok(Ty::Bool)); // list literal
        assert_eq!(ty("957f0440920105935104a16c"), Ok(Ty::List)); // list append
        assert_eq!(ty("947da178019314927ca17802"), Ok(Ty::Int)); // let x = 1 in x + 2
        assert_eq!(ty("947b93029252a161000102"), Ok(Ty::Int)); // cond
        assert_eq!(ty("940702a55e73546152935103a57469746c65"), Ok(Ty::Bool)); // regex
        assert_eq!(ty("9145"), Ok(Ty::Int)); // ttl
        assert_eq!(ty("9100"), Ok(Ty::Bool)); // unknown
    }

    #[test]
    fn refuses_what_the_server_refuses() {
        let p = Err(PARAMETER);
        assert_eq!(ty("9301935102a161a3036162"), p); // int bin == "ab"
        assert_eq!(ty("931401a20361"), p); // add(1, "a")
        assert_eq!(ty("921002"), p); // and with one argument
        assert_eq!(ty("9140"), p); // digest_modulo without its modulus
        assert_eq!(ty("90"), p); // empty list
        assert_eq!(ty("920a01"), p); // op 10 does not exist
        assert_eq!(ty("9301"), p); // eq without arguments
        assert_eq!(ty("d4ff01"), p); // a bare infinity has no type
        assert_eq!(ty("947da178927ca17801"), p); // x used in its own definition
        assert_eq!(ty("01 02".replace(' ', "").as_str()), p); // two expressions
        assert_eq!(ty("947b020102"), p); // cond on an int condition
    }

    #[test]
    fn nesting_is_bounded() {
        let mut bytes = Vec::new();
        for _ in 0..1000 {
            bytes.extend_from_slice(&[0x92, 18]);
        }
        bytes.push(0xc3);
        assert_eq!(build(&bytes).map(|b| b.ty), Err(PARAMETER));
        // The deepest accepted expression builds and evaluates well within a small stack
        // (server worker threads have 2 MiB), even in debug builds.
        let mut bytes = Vec::new();
        for _ in 0..MAX_DEPTH {
            bytes.extend_from_slice(&[0x92, 18]);
        }
        bytes.push(0xc3);
        let e = std::thread::Builder::new()
            .stack_size(1 << 20)
            .spawn(move || {
                let e = crate::expr::Expr::build(&bytes).unwrap();
                let rec = crate::record::Record::default();
                let env = crate::expr::Env {
                    rec: &rec,
                    digest: &[0; 20],
                    now_ns: 0,
                };
                e.eval(&env)
            })
            .unwrap();
        assert_eq!(e.join().unwrap(), Val::Bool(true));
    }
}
