//! POSIX regular expressions for the regex comparison: basic (BRE) and, with the EXTENDED flag,
//! extended (ERE) syntax, with the ICASE and NEWLINE flags (NOSUB changes nothing: a comparison
//! never asks for sub-matches). The POSIX syntax is parsed in [`posix`], into byte sets and
//! assertions, and lowered to `regex-syntax` HIR that `regex-automata` runs (automata, no
//! backtracking, so matching time is linear in the subject). Matching is unanchored, like
//! `regexec`, and works on bytes. Back-references are not supported (such patterns are refused).

mod posix;
#[cfg(test)]
mod tests;

use regex_automata::meta;
use regex_syntax::hir::{Class, ClassBytes, ClassBytesRange, Hir, Look, Repetition};

use posix::{set_has, Assert, Re};

const EXTENDED: i64 = 1;
const ICASE: i64 = 2;
const NEWLINE: i64 = 8;
/// Largest program a pattern may compile to (see [`size`]).
const MAX_PROG: usize = 20_000;

/// A compiled pattern.
#[derive(Debug)]
pub struct Regex {
    re: meta::Regex,
}

impl Regex {
    /// Compiles `pattern` with the wire's regex flags; `None` if it is invalid or unsupported.
    pub fn new(pattern: &[u8], flags: i64) -> Option<Regex> {
        let newline = flags & NEWLINE != 0;
        let re = posix::parse(pattern, flags & EXTENDED != 0, flags & ICASE != 0, newline)?;
        // The program of a Thompson NFA plus its final match instruction.
        if size(&re).saturating_add(1) > MAX_PROG {
            return None;
        }
        // Byte semantics throughout: subjects need not be UTF-8, and an empty match may fall
        // anywhere.
        let config = meta::Config::new().utf8_empty(false);
        let re = meta::Builder::new()
            .configure(config)
            .build_from_hir(&hir(&re, newline))
            .ok()?;
        Some(Regex { re })
    }

    /// Whether the pattern matches anywhere in `s`.
    pub fn is_match(&self, s: &[u8]) -> bool {
        self.re.is_match(s)
    }
}

/// How many NFA instructions `re` takes when every repetition is written out (one per set or
/// assertion, a split and a jump per extra branch or optional copy), which bounds what a
/// pattern may cost to compile and run.
fn size(re: &Re) -> usize {
    match re {
        Re::Set(_) | Re::Assert(_) => 1,
        Re::Concat(items) => items.iter().map(size).fold(0, usize::saturating_add),
        Re::Alt(branches) => branches
            .iter()
            .map(|b| size(b).saturating_add(2))
            .fold(0, usize::saturating_add)
            .saturating_sub(2),
        Re::Repeat(x, min, max) => {
            let one = size(x);
            let required = one.saturating_mul(*min as usize);
            let optional = match max {
                None => one.saturating_add(2),
                Some(max) => one.saturating_add(1).saturating_mul((max - min) as usize),
            };
            required.saturating_add(optional)
        }
    }
}

/// `re` as `regex-syntax` HIR; the anchors follow lines when `newline` is set.
fn hir(re: &Re, newline: bool) -> Hir {
    match re {
        Re::Set(s) => {
            let mut ranges = Vec::new();
            let mut b = 0usize;
            while b < 256 {
                if !set_has(s, b as u8) {
                    b += 1;
                    continue;
                }
                let start = b;
                while b < 256 && set_has(s, b as u8) {
                    b += 1;
                }
                ranges.push(ClassBytesRange::new(start as u8, (b - 1) as u8));
            }
            Hir::class(Class::Bytes(ClassBytes::new(ranges)))
        }
        Re::Assert(a) => Hir::look(match (a, newline) {
            (Assert::Bol, false) => Look::Start,
            (Assert::Bol, true) => Look::StartLF,
            (Assert::Eol, false) => Look::End,
            (Assert::Eol, true) => Look::EndLF,
            (Assert::WordBoundary, _) => Look::WordAscii,
            (Assert::NotWordBoundary, _) => Look::WordAsciiNegate,
            (Assert::WordStart, _) => Look::WordStartAscii,
            (Assert::WordEnd, _) => Look::WordEndAscii,
        }),
        Re::Concat(items) => Hir::concat(items.iter().map(|r| hir(r, newline)).collect()),
        Re::Alt(branches) => Hir::alternation(branches.iter().map(|r| hir(r, newline)).collect()),
        Re::Repeat(x, min, max) => Hir::repetition(Repetition {
            min: *min,
            max: *max,
            greedy: true,
            sub: Box::new(hir(x, newline)),
        }),
    }
}
