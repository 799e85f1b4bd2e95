//! POSIX regular expressions for the regex comparison: basic (BRE) and, with the EXTENDED flag,
//! extended (ERE) syntax, with the ICASE and NEWLINE flags. Patterns compile to a small NFA
//! program that is simulated position by position (no backtracking), so matching time is
//! linear in the subject. Matching is unanchored, like `regexec`. Back-references are not
//! supported (such patterns are refused).

const EXTENDED: i64 = 1;
const ICASE: i64 = 2;
const NEWLINE: i64 = 8;
/// Largest program a pattern may compile to.
const MAX_PROG: usize = 20_000;
const MAX_DEPTH: usize = 100;
const DUP_MAX: u32 = 255;

type Set = [u64; 4];

fn set_has(s: &Set, c: u8) -> bool {
    s[(c >> 6) as usize] & (1 << (c & 63)) != 0
}

fn set_add(s: &mut Set, c: u8) {
    s[(c >> 6) as usize] |= 1 << (c & 63);
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Assert {
    Bol,
    Eol,
    WordBoundary,
    NotWordBoundary,
    WordStart,
    WordEnd,
}

#[derive(Debug, Clone)]
enum Re {
    Set(Box<Set>),
    Assert(Assert),
    Concat(Vec<Re>),
    Alt(Vec<Re>),
    Repeat(Box<Re>, u32, Option<u32>),
}

#[derive(Debug, Clone)]
enum Inst {
    Set(usize),
    Assert(Assert),
    Split(usize, usize),
    Jmp(usize),
    Match,
}

/// A compiled pattern.
#[derive(Debug)]
pub struct Regex {
    prog: Vec<Inst>,
    sets: Vec<Set>,
    newline: bool,
}

impl Regex {
    /// Compiles `pattern` with the wire's regex flags; `None` if it is invalid or unsupported.
    pub fn new(pattern: &[u8], flags: i64) -> Option<Regex> {
        let mut p = Parser {
            p: pattern,
            i: 0,
            ext: flags & EXTENDED != 0,
            icase: flags & ICASE != 0,
            newline: flags & NEWLINE != 0,
            depth: 0,
        };
        let re = p.alt()?;
        if p.i != pattern.len() {
            return None; // an unmatched group close in basic syntax
        }
        let mut r = Regex {
            prog: Vec::new(),
            sets: Vec::new(),
            newline: p.newline,
        };
        r.emit(&re)?;
        r.prog.push(Inst::Match);
        Some(r)
    }

    fn push(&mut self, i: Inst) -> Option<usize> {
        if self.prog.len() >= MAX_PROG {
            return None;
        }
        self.prog.push(i);
        Some(self.prog.len() - 1)
    }

    fn emit(&mut self, re: &Re) -> Option<()> {
        match re {
            Re::Set(s) => {
                self.sets.push(**s);
                self.push(Inst::Set(self.sets.len() - 1))?;
            }
            Re::Assert(a) => {
                self.push(Inst::Assert(*a))?;
            }
            Re::Concat(items) => items.iter().try_for_each(|r| self.emit(r))?,
            Re::Alt(branches) => {
                let mut exits = Vec::new();
                for (k, b) in branches.iter().enumerate() {
                    if k + 1 == branches.len() {
                        self.emit(b)?;
                        break;
                    }
                    let split = self.push(Inst::Split(0, 0))?;
                    self.emit(b)?;
                    exits.push(self.push(Inst::Jmp(0))?);
                    self.prog[split] = Inst::Split(split + 1, self.prog.len());
                }
                let end = self.prog.len();
                for j in exits {
                    self.prog[j] = Inst::Jmp(end);
                }
            }
            Re::Repeat(x, min, max) => {
                for _ in 0..*min {
                    self.emit(x)?;
                }
                match max {
                    None => {
                        let split = self.push(Inst::Split(0, 0))?;
                        self.emit(x)?;
                        self.push(Inst::Jmp(split))?;
                        self.prog[split] = Inst::Split(split + 1, self.prog.len());
                    }
                    Some(max) => {
                        let mut splits = Vec::new();
                        for _ in *min..*max {
                            splits.push(self.push(Inst::Split(0, 0))?);
                            self.emit(x)?;
                        }
                        let end = self.prog.len();
                        for s in splits {
                            self.prog[s] = Inst::Split(s + 1, end);
                        }
                    }
                }
            }
        }
        Some(())
    }

    fn holds(&self, a: Assert, s: &[u8], pos: usize) -> bool {
        let word = |c: Option<&u8>| c.is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_');
        let prev = if pos == 0 { None } else { s.get(pos - 1) };
        let next = s.get(pos);
        match a {
            Assert::Bol => pos == 0 || (self.newline && prev == Some(&b'\n')),
            Assert::Eol => pos == s.len() || (self.newline && next == Some(&b'\n')),
            Assert::WordBoundary => word(prev) != word(next),
            Assert::NotWordBoundary => word(prev) == word(next),
            Assert::WordStart => !word(prev) && word(next),
            Assert::WordEnd => word(prev) && !word(next),
        }
    }

    /// Adds the thread at `pc` (and everything it reaches without consuming input) to
    /// `list`; returns true if a match is reached.
    fn add(&self, list: &mut Vec<usize>, on: &mut [bool], pc: usize, s: &[u8], pos: usize) -> bool {
        let mut stack = vec![pc];
        while let Some(pc) = stack.pop() {
            if on[pc] {
                continue;
            }
            on[pc] = true;
            match self.prog[pc] {
                Inst::Match => return true,
                Inst::Jmp(t) => stack.push(t),
                Inst::Split(a, b) => {
                    stack.push(b);
                    stack.push(a);
                }
                Inst::Assert(a) => {
                    if self.holds(a, s, pos) {
                        stack.push(pc + 1);
                    }
                }
                Inst::Set(_) => list.push(pc),
            }
        }
        false
    }

    /// Whether the pattern matches anywhere in `s`.
    pub fn is_match(&self, s: &[u8]) -> bool {
        let n = self.prog.len();
        let (mut cur, mut next) = (Vec::with_capacity(n), Vec::with_capacity(n));
        let mut on = vec![false; n];
        for pos in 0..=s.len() {
            // A new attempt starts at every position (unanchored search).
            if self.add(&mut cur, &mut on, 0, s, pos) {
                return true;
            }
            let Some(&c) = s.get(pos) else { break };
            on.iter_mut().for_each(|b| *b = false);
            for &pc in &cur {
                if let Inst::Set(k) = self.prog[pc] {
                    if set_has(&self.sets[k], c) && self.add(&mut next, &mut on, pc + 1, s, pos + 1)
                    {
                        return true;
                    }
                }
            }
            std::mem::swap(&mut cur, &mut next);
            next.clear();
        }
        false
    }
}

struct Parser<'a> {
    p: &'a [u8],
    i: usize,
    ext: bool,
    icase: bool,
    newline: bool,
    depth: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.p.get(self.i).copied()
    }

    fn peek2(&self) -> Option<u8> {
        self.p.get(self.i + 1).copied()
    }

    fn at_alt(&self) -> bool {
        if self.ext {
            self.peek() == Some(b'|')
        } else {
            self.peek() == Some(b'\\') && self.peek2() == Some(b'|')
        }
    }

    fn at_close(&self) -> bool {
        if self.ext {
            self.peek() == Some(b')') && self.depth > 0
        } else {
            self.peek() == Some(b'\\') && self.peek2() == Some(b')')
        }
    }

    fn alt(&mut self) -> Option<Re> {
        let mut branches = vec![self.branch()?];
        while self.at_alt() {
            self.i += if self.ext { 1 } else { 2 };
            branches.push(self.branch()?);
        }
        Some(if branches.len() == 1 {
            branches.pop()?
        } else {
            Re::Alt(branches)
        })
    }

    fn branch(&mut self) -> Option<Re> {
        let mut items: Vec<Re> = Vec::new();
        while self.peek().is_some() && !self.at_alt() && !self.at_close() {
            let atom = self.atom(items.is_empty())?;
            items.push(self.quantified(atom)?);
        }
        Some(Re::Concat(items))
    }

    fn literal(&self, c: u8) -> Re {
        let mut s = [0u64; 4];
        set_add(&mut s, c);
        if self.icase {
            set_add(&mut s, c.to_ascii_lowercase());
            set_add(&mut s, c.to_ascii_uppercase());
        }
        Re::Set(Box::new(s))
    }

    fn atom(&mut self, first: bool) -> Option<Re> {
        let c = self.peek()?;
        self.i += 1;
        Some(match c {
            b'.' => {
                let mut s = [u64::MAX; 4];
                if self.newline {
                    s[0] &= !(1 << b'\n');
                }
                Re::Set(Box::new(s))
            }
            b'[' => self.bracket()?,
            b'^' if self.ext || first => Re::Assert(Assert::Bol),
            b'$' if self.ext || self.at_branch_end() => Re::Assert(Assert::Eol),
            b'(' if self.ext => self.group()?,
            b'*' if first => self.literal(c),
            b'*' | b'+' | b'?' if self.ext => return None,
            b'{' if self.ext && self.peek().is_some_and(|d| d.is_ascii_digit()) => return None,
            b'\\' => {
                let e = self.peek()?;
                self.i += 1;
                match e {
                    b'(' if !self.ext => self.group()?,
                    b'w' | b'W' | b's' | b'S' => {
                        let mut s = [0u64; 4];
                        for b in 0..=255u8 {
                            let hit = if e.eq_ignore_ascii_case(&b'w') {
                                b.is_ascii_alphanumeric() || b == b'_'
                            } else {
                                b.is_ascii_whitespace() || b == 0x0b
                            };
                            if hit == e.is_ascii_lowercase() {
                                set_add(&mut s, b);
                            }
                        }
                        Re::Set(Box::new(s))
                    }
                    b'b' => Re::Assert(Assert::WordBoundary),
                    b'B' => Re::Assert(Assert::NotWordBoundary),
                    b'<' => Re::Assert(Assert::WordStart),
                    b'>' => Re::Assert(Assert::WordEnd),
                    b'`' => Re::Assert(Assert::Bol),
                    b'\'' => Re::Assert(Assert::Eol),
                    b'1'..=b'9' => return None, // back-references
                    b'{' | b'}' | b')' | b'|' | b'+' | b'?' if !self.ext => return None,
                    _ => self.literal(e),
                }
            }
            _ => self.literal(c),
        })
    }

    /// In basic syntax `$` anchors only at the end of a branch.
    fn at_branch_end(&self) -> bool {
        self.peek().is_none() || self.at_alt() || self.at_close()
    }

    fn group(&mut self) -> Option<Re> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return None;
        }
        let inner = self.alt()?;
        if !self.at_close() {
            return None;
        }
        self.i += if self.ext { 1 } else { 2 };
        self.depth -= 1;
        Some(inner)
    }

    fn quantified(&mut self, mut atom: Re) -> Option<Re> {
        loop {
            let (min, max, len) = match (self.peek(), self.peek2(), self.ext) {
                (Some(b'*'), _, _) => (0, None, 1),
                (Some(b'+'), _, true) | (Some(b'\\'), Some(b'+'), false) => {
                    (1, None, 1 + !self.ext as usize)
                }
                (Some(b'?'), _, true) | (Some(b'\\'), Some(b'?'), false) => {
                    (0, Some(1), 1 + !self.ext as usize)
                }
                (Some(b'{'), Some(d), true) if d.is_ascii_digit() => {
                    self.i += 1;
                    let (min, max) = self.interval()?;
                    atom = Re::Repeat(Box::new(atom), min, max);
                    continue;
                }
                (Some(b'\\'), Some(b'{'), false) => {
                    self.i += 2;
                    let (min, max) = self.interval()?;
                    atom = Re::Repeat(Box::new(atom), min, max);
                    continue;
                }
                _ => return Some(atom),
            };
            self.i += len;
            atom = Re::Repeat(Box::new(atom), min, max);
        }
    }

    fn number(&mut self) -> Option<u32> {
        let start = self.i;
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.i += 1;
        }
        let s = std::str::from_utf8(&self.p[start..self.i]).ok()?;
        s.parse().ok().filter(|&n| n <= DUP_MAX)
    }

    /// `m}`, `m,}` or `m,n}` (with `\}` in basic syntax), after the opening brace.
    fn interval(&mut self) -> Option<(u32, Option<u32>)> {
        let min = self.number()?;
        let max = if self.peek() == Some(b',') {
            self.i += 1;
            if self.peek().is_some_and(|c| c.is_ascii_digit()) {
                Some(self.number()?)
            } else {
                None
            }
        } else {
            Some(min)
        };
        if !self.ext {
            if self.peek() != Some(b'\\') {
                return None;
            }
            self.i += 1;
        }
        if self.peek() != Some(b'}') || max.is_some_and(|m| m < min) {
            return None;
        }
        self.i += 1;
        Some((min, max))
    }

    fn bracket(&mut self) -> Option<Re> {
        let mut s = [0u64; 4];
        let negate = self.peek() == Some(b'^');
        if negate {
            self.i += 1;
        }
        let mut first = true;
        loop {
            let c = self.peek()?;
            if c == b']' && !first {
                self.i += 1;
                break;
            }
            first = false;
            let lo = match self.bracket_item(&mut s)? {
                Some(lo) => lo,
                None => continue, // a character class
            };
            if self.peek() == Some(b'-') && self.peek2().is_some_and(|c| c != b']') {
                self.i += 1;
                let hi = self.bracket_item(&mut s)??;
                if hi < lo {
                    return None;
                }
                (lo..=hi).for_each(|b| set_add(&mut s, b));
            } else {
                set_add(&mut s, lo);
            }
        }
        if self.icase {
            for b in 0..=255u8 {
                if set_has(&s, b) {
                    set_add(&mut s, b.to_ascii_lowercase());
                    set_add(&mut s, b.to_ascii_uppercase());
                }
            }
        }
        if negate {
            s.iter_mut().for_each(|w| *w = !*w);
            if self.newline {
                s[0] &= !(1 << b'\n');
            }
        }
        Some(Re::Set(Box::new(s)))
    }

    /// One bracket element: `Some(Some(c))` a character, `Some(None)` a class added to `s`.
    fn bracket_item(&mut self, s: &mut Set) -> Option<Option<u8>> {
        let c = self.peek()?;
        self.i += 1;
        if c != b'[' || !matches!(self.peek(), Some(b':' | b'.' | b'=')) {
            return Some(Some(c));
        }
        let kind = self.peek()?;
        self.i += 1;
        let start = self.i;
        while !(self.peek()? == kind && self.peek2()? == b']') {
            self.i += 1;
        }
        let name = &self.p[start..self.i];
        self.i += 2;
        if kind != b':' {
            return match name {
                [c] => Some(Some(*c)),
                _ => None,
            };
        }
        let class: fn(u8) -> bool = match name {
            b"alpha" => |b| b.is_ascii_alphabetic(),
            b"digit" => |b| b.is_ascii_digit(),
            b"alnum" => |b| b.is_ascii_alphanumeric(),
            b"upper" => |b| b.is_ascii_uppercase(),
            b"lower" => |b| b.is_ascii_lowercase(),
            b"space" => |b| b.is_ascii_whitespace() || b == 0x0b,
            b"blank" => |b| b == b' ' || b == b'\t',
            b"punct" => |b| b.is_ascii_punctuation(),
            b"print" => |b| (0x20..0x7f).contains(&b),
            b"graph" => |b| b.is_ascii_graphic(),
            b"cntrl" => |b| b.is_ascii_control(),
            b"xdigit" => |b| b.is_ascii_hexdigit(),
            _ => return None,
        };
        (0..=255u8)
            .filter(|&b| class(b))
            .for_each(|b| set_add(s, b));
        Some(None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(p: &str, flags: i64, s: &str) -> bool {
        Regex::new(p.as_bytes(), flags)
            .unwrap()
            .is_match(s.as_bytes())
    }

    #[test]
    fn basic_syntax() {
        assert!(m("^Star", 0, "Star Wars"));
        assert!(!m("Treck$", 0, "Star Wars"));
        assert!(m("Wars$", 0, "Star Wars"));
        assert!(m("a*b", 0, "xxb"));
        assert!(m("a+", 0, "a+")); // '+' is literal in basic syntax
        assert!(m("\\(ab\\)\\{2\\}", 0, "xababx"));
        assert!(!m("\\(ab\\)\\{3\\}", 0, "xababx"));
        assert!(m("*a", 0, "*a")); // a leading '*' is literal
        assert!(m("a\\|b", 0, "b"));
    }

    #[test]
    fn extended_syntax() {
        assert!(m("^(foo|bar)+$", 1, "foobarfoo"));
        assert!(!m("^(foo|bar)+$", 1, "foobaz"));
        assert!(m("colou?r", 1, "color"));
        assert!(m("^a{2,3}$", 1, "aaa"));
        assert!(!m("^a{2,3}$", 1, "aaaa"));
        assert!(m("[[:digit:]]+-[a-c]", 1, "x12-b"));
        assert!(m("[^0-9]", 1, "12a"));
        assert!(!m("[^0-9]", 1, "123"));
        assert!(m("a.c", 1, "a\nc"));
        assert!(m("(a*)*b", 1, "aaaab"));
        assert!(m("\\bcat\\b", 1, "a cat!"));
        assert!(!m("\\bcat\\b", 1, "concat"));
        assert!(m("", 1, "anything"));
    }

    #[test]
    fn flags() {
        assert!(m("^sTaR", 2, "Star Wars"));
        assert!(!m("trEcK$", 2, "Star Wars"));
        assert!(m("[a-c]X", 3, "Bx"));
        // NEWLINE: '.' stops at line ends and anchors work per line.
        assert!(!m("a.c", 9, "a\nc"));
        assert!(m("^c", 9, "ab\ncd"));
        assert!(!m("^c", 1, "ab\ncd"));
        assert!(m("b$", 9, "ab\ncd"));
    }

    #[test]
    fn refuses_invalid_patterns() {
        for p in ["a{3,2}", "[b-a]", "(ab", "[abc", "[[:nope:]]", "\\1", "a{2"] {
            assert!(Regex::new(p.as_bytes(), 1).is_none(), "{p}");
        }
        assert!(Regex::new(b"\\(ab", 0).is_none());
        assert!(Regex::new(b"a{1000}", 1).is_none());
    }

    #[test]
    fn pathological_patterns_stay_linear() {
        let re = Regex::new(b"(a|aa)*(a|aa)*(a|aa)*c", 1).unwrap();
        let s = vec![b'a'; 5000];
        assert!(!re.is_match(&s));
    }
}
