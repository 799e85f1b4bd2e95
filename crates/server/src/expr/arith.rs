//! Arithmetic and integer bit operations. Operand types were checked when the expression was
//! built (all int or all float, as each operator requires); an unknown operand makes the
//! result unknown, and so does integer division or modulo by zero. Integer overflow wraps.

use super::ast::Math;
use super::value::Val;

/// Evaluates an arithmetic node.
pub fn eval_math(op: Math, args: &[Val]) -> Val {
    use Val::{Float as F, Int as I};
    match (op, args) {
        (
            Math::Add | Math::Sub | Math::Mul | Math::Div | Math::Min | Math::Max,
            [first, rest @ ..],
        ) => fold(op, first, rest),
        (Math::Pow, [F(a), F(b)]) => F(a.powf(*b)),
        (Math::Log, [F(a), F(b)]) => F(a.ln() / b.ln()),
        (Math::Mod, [I(_), I(0)]) => Val::Unknown,
        (Math::Mod, [I(a), I(b)]) => I(a.wrapping_rem(*b)),
        (Math::Abs, [I(a)]) => I(a.wrapping_abs()),
        (Math::Abs, [F(a)]) => F(a.abs()),
        (Math::Floor, [F(a)]) => F(a.floor()),
        (Math::Ceil, [F(a)]) => F(a.ceil()),
        (Math::ToInt, [F(a)]) => I(*a as i64),
        (Math::ToFloat, [I(a)]) => F(*a as f64),
        (Math::IntAnd | Math::IntOr | Math::IntXor, [I(first), rest @ ..]) => {
            let mut acc = *first;
            for v in rest {
                let I(v) = v else { return Val::Unknown };
                acc = match op {
                    Math::IntAnd => acc & v,
                    Math::IntOr => acc | v,
                    _ => acc ^ v,
                };
            }
            I(acc)
        }
        (Math::IntNot, [I(a)]) => I(!a),
        (Math::Count, [I(a)]) => I(a.count_ones() as i64),
        // Shift counts wrap modulo 64, as the hardware shift instructions do.
        (Math::Lshift, [I(a), I(s)]) => I(a.wrapping_shl(*s as u32)),
        (Math::Rshift, [I(a), I(s)]) => I((*a as u64).wrapping_shr(*s as u32) as i64),
        (Math::Arshift, [I(a), I(s)]) => I(a.wrapping_shr(*s as u32)),
        // Index (from the most significant bit) of the first bit equal to `set`; -1 if none.
        (Math::Lscan, [I(a), Val::Bool(set)]) => {
            let x = if *set { *a as u64 } else { !(*a as u64) };
            I(if x == 0 { -1 } else { x.leading_zeros() as i64 })
        }
        // Index (from the most significant bit) of the last bit equal to `set`; -1 if none.
        (Math::Rscan, [I(a), Val::Bool(set)]) => {
            let x = if *set { *a as u64 } else { !(*a as u64) };
            I(63 - x.trailing_zeros() as i64)
        }
        _ => Val::Unknown,
    }
}

/// The variadic operators: all operands share the first one's type.
fn fold(op: Math, first: &Val, rest: &[Val]) -> Val {
    match first {
        Val::Int(a) => {
            let mut ints = Vec::with_capacity(rest.len());
            for v in rest {
                let Val::Int(v) = v else { return Val::Unknown };
                ints.push(*v);
            }
            fold_int(op, *a, &ints)
        }
        Val::Float(a) => {
            let mut floats = Vec::with_capacity(rest.len());
            for v in rest {
                let Val::Float(v) = v else {
                    return Val::Unknown;
                };
                floats.push(*v);
            }
            Val::Float(fold_float(op, *a, &floats))
        }
        _ => Val::Unknown,
    }
}

fn fold_int(op: Math, first: i64, rest: &[i64]) -> Val {
    let r = rest.iter().copied();
    Val::Int(match op {
        Math::Add => r.fold(first, i64::wrapping_add),
        Math::Sub if rest.is_empty() => first.wrapping_neg(),
        Math::Sub => r.fold(first, i64::wrapping_sub),
        Math::Mul => r.fold(first, i64::wrapping_mul),
        Math::Div => {
            // One operand: its reciprocal. Otherwise the first divided by the product.
            let (num, den) = if rest.is_empty() {
                (1, first)
            } else {
                (first, r.fold(1i64, i64::wrapping_mul))
            };
            if den == 0 {
                return Val::Unknown;
            }
            num.wrapping_div(den)
        }
        Math::Min => r.fold(first, i64::min),
        _ => r.fold(first, i64::max),
    })
}

fn fold_float(op: Math, first: f64, rest: &[f64]) -> f64 {
    let r = rest.iter().copied();
    match op {
        Math::Add => r.fold(first, |a, b| a + b),
        Math::Sub if rest.is_empty() => 0.0 - first,
        Math::Sub => r.fold(first, |a, b| a - b),
        Math::Mul => r.fold(first, |a, b| a * b),
        Math::Div if rest.is_empty() => 1.0 / first,
        Math::Div => first / r.fold(1.0, |a, b| a * b),
        // Like the server: keep the current value unless the next is strictly smaller/larger.
        Math::Min => r.fold(first, |a, b| if a > b { b } else { a }),
        _ => r.fold(first, |a, b| if a < b { b } else { a }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Val::{Float as F, Int as I};

    #[test]
    fn variadic_arithmetic() {
        assert_eq!(eval_math(Math::Add, &[I(1), I(2), I(3)]), I(6));
        assert_eq!(eval_math(Math::Sub, &[I(5)]), I(-5));
        assert_eq!(eval_math(Math::Sub, &[I(5), I(1), I(1)]), I(3));
        assert_eq!(eval_math(Math::Div, &[I(20), I(2), I(5)]), I(2));
        assert_eq!(eval_math(Math::Div, &[I(4)]), I(0));
        assert_eq!(eval_math(Math::Div, &[I(4), I(0)]), Val::Unknown);
        assert_eq!(eval_math(Math::Div, &[F(2.0)]), F(0.5));
        assert_eq!(eval_math(Math::Max, &[F(1.0), F(3.0), F(2.0)]), F(3.0));
        assert_eq!(eval_math(Math::Min, &[I(4), I(-1)]), I(-1));
        assert_eq!(eval_math(Math::Add, &[I(i64::MAX), I(1)]), I(i64::MIN));
    }

    #[test]
    fn unary_and_binary() {
        assert_eq!(eval_math(Math::Pow, &[F(2.0), F(10.0)]), F(1024.0));
        assert_eq!(eval_math(Math::Log, &[F(8.0), F(2.0)]), F(3.0));
        assert_eq!(eval_math(Math::Mod, &[I(-7), I(3)]), I(-1));
        assert_eq!(eval_math(Math::Mod, &[I(7), I(0)]), Val::Unknown);
        assert_eq!(eval_math(Math::Abs, &[I(-3)]), I(3));
        assert_eq!(eval_math(Math::Floor, &[F(-1.5)]), F(-2.0));
        assert_eq!(eval_math(Math::Ceil, &[F(1.2)]), F(2.0));
        assert_eq!(eval_math(Math::ToInt, &[F(-2.7)]), I(-2));
        assert_eq!(eval_math(Math::ToFloat, &[I(3)]), F(3.0));
    }

    #[test]
    fn integer_bits() {
        assert_eq!(eval_math(Math::IntAnd, &[I(0b1100), I(0b1010)]), I(0b1000));
        assert_eq!(eval_math(Math::IntOr, &[I(0b1100), I(0b1010)]), I(0b1110));
        assert_eq!(eval_math(Math::IntXor, &[I(0b1100), I(0b1010)]), I(0b0110));
        assert_eq!(eval_math(Math::IntNot, &[I(0)]), I(-1));
        assert_eq!(eval_math(Math::Lshift, &[I(1), I(4)]), I(16));
        assert_eq!(eval_math(Math::Rshift, &[I(-1), I(60)]), I(15));
        assert_eq!(eval_math(Math::Arshift, &[I(-16), I(2)]), I(-4));
        assert_eq!(eval_math(Math::Count, &[I(0b1011)]), I(3));
        let t = Val::Bool(true);
        let f = Val::Bool(false);
        assert_eq!(eval_math(Math::Lscan, &[I(1), t.clone()]), I(63));
        assert_eq!(eval_math(Math::Lscan, &[I(0), t.clone()]), I(-1));
        assert_eq!(eval_math(Math::Lscan, &[I(-1), f.clone()]), I(-1));
        assert_eq!(eval_math(Math::Rscan, &[I(1), t.clone()]), I(63));
        assert_eq!(eval_math(Math::Rscan, &[I(i64::MIN), t]), I(0));
        assert_eq!(eval_math(Math::Rscan, &[I(-1), f]), I(-1));
    }
}
