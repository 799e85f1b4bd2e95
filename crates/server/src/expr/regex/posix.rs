//! The POSIX pattern syntax, basic and extended, parsed into byte sets, assertions,
//! alternations and repetitions (the shapes `regexec` can match without back-references).

const MAX_DEPTH: usize = 100;
const DUP_MAX: u32 = 255;

pub type Set = [u64; 4];

pub fn set_has(s: &Set, c: u8) -> bool {
    s[(c >> 6) as usize] & (1 << (c & 63)) != 0
}

fn set_add(s: &mut Set, c: u8) {
    s[(c >> 6) as usize] |= 1 << (c & 63);
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Assert {
    Bol,
    Eol,
    WordBoundary,
    NotWordBoundary,
    WordStart,
    WordEnd,
}

#[derive(Debug, Clone)]
pub enum Re {
    Set(Box<Set>),
    Assert(Assert),
    Concat(Vec<Re>),
    Alt(Vec<Re>),
    Repeat(Box<Re>, u32, Option<u32>),
}

/// Parses `pattern`: extended syntax if `ext`, else basic; `icase` folds ASCII letters,
/// `newline` keeps `.` and negated brackets off line ends. `None` if it is invalid or unsupported.
pub fn parse(pattern: &[u8], ext: bool, icase: bool, newline: bool) -> Option<Re> {
    let mut p = Parser {
        p: pattern,
        i: 0,
        ext,
        icase,
        newline,
        depth: 0,
    };
    let re = p.alt()?;
    if p.i != pattern.len() {
        return None; // an unmatched group close in basic syntax
    }
    Some(re)
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
