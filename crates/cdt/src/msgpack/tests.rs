use super::write::{int, str_header, typed_bytes, uint};
use super::{Kind, Reader};

#[test]
fn skips_whole_elements() {
    // [1, {"a": [2, 3]}, ext] then a trailing 7.
    let buf = [0x93, 1, 0x81, 0xa1, b'a', 0x92, 2, 3, 0xd4, 0xff, 1, 7];
    let mut mp = Reader::new(&buf);
    assert_eq!(mp.skip().map(|s| s.len()), Some(11));
    assert_eq!(mp.int(), Some(7));
    assert!(mp.at_end());
}

#[test]
fn refuses_lies_and_truncation() {
    assert!(Reader::new(&[0xdd, 0xff, 0xff, 0xff, 0xff])
        .skip()
        .is_none());
    assert!(Reader::new(&[0xa5, 1]).skip().is_none());
    assert!(Reader::new(&[0xc1]).skip().is_none());
    let mut mp = Reader::new(&[0xcd, 1]);
    assert_eq!(mp.int(), None);
    assert_eq!(mp.peek(), Kind::Int);
}

#[test]
fn reads_scalars() {
    let mut mp = Reader::new(&[0xd0, 0xfe, 0xcb, 0x3f, 0xf8, 0, 0, 0, 0, 0, 0, 0xc3]);
    assert_eq!(mp.int(), Some(-2));
    assert_eq!(mp.float(), Some(1.5));
    assert_eq!(mp.bool(), Some(true));
    let mut out = Vec::new();
    typed_bytes(3, b"hi", &mut out);
    assert_eq!(Reader::new(&out).bytes(), Some(&[3, b'h', b'i'][..]));
    let mut mp = Reader::new(&[0xd6, 7, 1, 2, 3, 4, 0xff]);
    assert_eq!(mp.ext(), Some((7, &[1, 2, 3, 4][..])));
    assert_eq!(mp.uint(), None, "a negative int is no uint");
    assert_eq!(mp.int(), Some(-1));
}

#[test]
fn writes_smallest_forms() {
    let enc = |f: &dyn Fn(&mut Vec<u8>)| {
        let mut out = Vec::new();
        f(&mut out);
        out
    };
    assert_eq!(enc(&|o| int(-33, o)), vec![0xd0, 0xdf]);
    assert_eq!(enc(&|o| int(200, o)), vec![0xcc, 200]);
    assert_eq!(enc(&|o| uint(u64::MAX, o))[0], 0xcf);
    assert_eq!(enc(&|o| str_header(40, o)), vec![0xd9, 40]);
    assert_eq!(enc(&|o| str_header(300, o)), vec![0xda, 1, 44]);
    let mut mp = Reader::new(&[0xcf, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
    assert_eq!(mp.uint(), Some(u64::MAX));
}
