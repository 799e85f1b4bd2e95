use super::*;

const BASIC: i64 = 0;
const EXT: i64 = EXTENDED;

/// `(pattern, flags, subject, matches)`, as `regcomp`/`regexec` answer them.
const CASES: &[(&str, i64, &[u8], bool)] = &[
    // Basic syntax.
    ("^Star", BASIC, b"Star Wars", true),
    ("Treck$", BASIC, b"Star Wars", false),
    ("Wars$", BASIC, b"Star Wars", true),
    ("a*b", BASIC, b"xxb", true),
    ("a+", BASIC, b"a+", true), // '+' is literal in basic syntax
    ("\\(ab\\)\\{2\\}", BASIC, b"xababx", true),
    ("\\(ab\\)\\{3\\}", BASIC, b"xababx", false),
    ("*a", BASIC, b"*a", true), // a leading '*' is literal
    ("a\\|b", BASIC, b"b", true),
    // '^' and '$' anchor only at the ends of a branch; elsewhere they are literal.
    ("a^b", BASIC, b"a^b", true),
    ("a$b", BASIC, b"a$b", true),
    ("\\(^a\\)", BASIC, b"ab", true),
    ("a\\{1,\\}b", BASIC, b"caab", true),
    ("a\\{2,\\}b", BASIC, b"cab", false),
    ("\\(a\\)*c", BASIC, b"aac", true),
    ("a\\?", BASIC, b"", true),
    ("a{2}", BASIC, b"a{2}", true), // braces are literal without '\'
    ("(a)", BASIC, b"(a)", true),
    // Extended syntax.
    ("^(foo|bar)+$", EXT, b"foobarfoo", true),
    ("^(foo|bar)+$", EXT, b"foobaz", false),
    ("colou?r", EXT, b"color", true),
    ("^a{2,3}$", EXT, b"aaa", true),
    ("^a{2,3}$", EXT, b"aaaa", false),
    ("^a{2,}$", EXT, b"aaaaa", true),
    ("^a{2}$", EXT, b"aaa", false),
    ("[[:digit:]]+-[a-c]", EXT, b"x12-b", true),
    ("[^0-9]", EXT, b"12a", true),
    ("[^0-9]", EXT, b"123", false),
    ("a.c", EXT, b"a\nc", true),
    ("(a*)*b", EXT, b"aaaab", true),
    ("\\bcat\\b", EXT, b"a cat!", true),
    ("\\bcat\\b", EXT, b"concat", false),
    ("\\Bcat", EXT, b"concat", true),
    ("\\<cat", EXT, b"concat", false),
    ("cat\\>", EXT, b"concat", true),
    ("\\w+\\s\\W", EXT, b"ab !", true),
    ("^\\S+$", EXT, b"a b", false),
    ("", EXT, b"anything", true),
    ("a|", EXT, b"zzz", true),
    ("()", EXT, b"", true),
    ("a^b", EXT, b"a^b", false), // an anchor in extended syntax
    ("a\\.c", EXT, b"abc", false),
    ("a\\.c", EXT, b"a.c", true),
    ("a\\|b", EXT, b"a|b", true),
    ("x{", EXT, b"x{", true), // a brace not opening an interval is literal
    ("*a", EXT, b"*a", true), // so is a leading star
    // Bracket expressions.
    ("[]a]", EXT, b"]", true),
    ("[^]a]", EXT, b"]", false),
    ("[^]a]", EXT, b"b", true),
    ("[a-]", EXT, b"-", true),
    ("[[.-.]]", EXT, b"-", true),
    ("[[=e=]]", EXT, b"e", true),
    ("[[:alpha:][:digit:]]+$", EXT, b"-a1", true),
    ("^[[:upper:]]", EXT, b"a", false),
    ("^[[:space:]]$", EXT, b"\x0b", true),
    ("^[[:xdigit:]]+$", EXT, b"fF09", true),
    ("[\\n]", EXT, b"\\", true), // no escapes inside brackets
    // Flags.
    ("^sTaR", ICASE, b"Star Wars", true),
    ("trEcK$", ICASE, b"Star Wars", false),
    ("[a-c]X", EXT | ICASE, b"Bx", true),
    ("[^a]", EXT | ICASE, b"A", false),
    // NEWLINE: '.' and negated brackets stop at line ends, anchors work per line.
    ("a.c", EXT | NEWLINE, b"a\nc", false),
    ("a[^x]c", EXT | NEWLINE, b"a\nc", false),
    ("a[^x]c", EXT, b"a\nc", true),
    ("^c", EXT | NEWLINE, b"ab\ncd", true),
    ("^c", EXT, b"ab\ncd", false),
    ("b$", EXT | NEWLINE, b"ab\ncd", true),
    ("b$", EXT, b"ab\ncd", false),
    // NOSUB only drops sub-match reporting, which a comparison never needs.
    ("^(a|b)c$", EXT | 4, b"bc", true),
    // Subjects are bytes, not necessarily UTF-8.
    ("^.$", EXT, b"\xff", true),
    ("^..$", EXT, "é".as_bytes(), true),
    ("^[^a]$", EXT, b"\x80", true),
    ("\\bx", EXT, b"\xe9x", true),
];

#[test]
fn matches_like_posix() {
    for &(p, flags, s, want) in CASES {
        let re = Regex::new(p.as_bytes(), flags).unwrap_or_else(|| panic!("{p:?} refused"));
        let got = re.is_match(s);
        let subject = String::from_utf8_lossy(s);
        assert_eq!(got, want, "{p:?} flags {flags} on {subject:?}");
    }
    // Patterns are compared byte by byte too.
    assert!(Regex::new(b"^\xff$", EXT).unwrap().is_match(b"\xff"));
}

#[test]
fn refuses_invalid_patterns() {
    for p in [
        "a{3,2}",
        "[b-a]",
        "(ab",
        "[abc",
        "[[:nope:]]",
        "\\1",
        "a{2",
        "+a",
        "a|?b",
        "a{1000}",
    ] {
        assert!(Regex::new(p.as_bytes(), EXT).is_none(), "{p}");
    }
    for p in ["\\(ab", "a\\{2", "\\(a\\)\\1", "a\\)"] {
        assert!(Regex::new(p.as_bytes(), BASIC).is_none(), "{p}");
    }
    // Patterns whose program would be too large.
    assert!(Regex::new(b"(a{255}){255}", EXT).is_none());
    assert!(Regex::new(b"(a{100}){100}", EXT).is_some());
}

#[test]
fn pathological_patterns_stay_linear() {
    let re = Regex::new(b"(a|aa)*(a|aa)*(a|aa)*c", EXT).unwrap();
    let s = vec![b'a'; 5000];
    assert!(!re.is_match(&s));
}
