//! The AS_MSG codec: a 22-byte header, then fields, then ops (bins).
//!
//! Parsing borrows from the request body and checks every length against what is left, so a
//! truncated or lying message is an error, never a panic or a huge allocation. Encoding goes
//! through [`MsgWriter`], which appends whole messages to one output buffer.

// The header layout, info bits and field types are the protocol crate's.
use aerospike_cdt::bytes;
pub use aerospike_cdt::wire::msg::*;

/// A field: type byte and data.
#[derive(Debug, Clone, Copy)]
pub struct Field<'a> {
    pub kind: u8,
    pub data: &'a [u8],
}

/// An operation (request) or bin (response).
#[derive(Debug, Clone, Copy)]
pub struct Op<'a> {
    pub code: u8,
    pub particle: u8,
    pub name: &'a [u8],
    pub value: &'a [u8],
}

/// A parsed request.
#[derive(Debug)]
pub struct Message<'a> {
    pub header: Header,
    pub fields: Vec<Field<'a>>,
    pub ops: Vec<Op<'a>>,
}

impl<'a> Message<'a> {
    /// The first field of the given type.
    pub fn field(&self, kind: u8) -> Option<&'a [u8]> {
        self.fields.iter().find(|f| f.kind == kind).map(|f| f.data)
    }
}

/// A malformed message; answered with result 4 (PARAMETER).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Malformed(pub &'static str);

/// A bounds-checked reader over a byte slice (the protocol crate's), whose reads past the end
/// are [`Malformed`].
pub struct Cursor<'a>(bytes::Cursor<'a>);

const TRUNCATED: Malformed = Malformed("truncated");

impl<'a> Cursor<'a> {
    pub fn new(buf: &'a [u8]) -> Self {
        Cursor(bytes::Cursor::new(buf))
    }
    pub fn remaining(&self) -> usize {
        self.0.remaining()
    }
    pub fn take(&mut self, n: usize) -> Result<&'a [u8], Malformed> {
        self.0.take(n).ok_or(TRUNCATED)
    }
    pub fn u8(&mut self) -> Result<u8, Malformed> {
        self.0.u8().ok_or(TRUNCATED)
    }
    pub fn u16(&mut self) -> Result<u16, Malformed> {
        self.0.u16().ok_or(TRUNCATED)
    }
    pub fn u32(&mut self) -> Result<u32, Malformed> {
        self.0.u32().ok_or(TRUNCATED)
    }
}

/// Parses the 22-byte header.
pub fn parse_header(c: &mut Cursor<'_>) -> Result<Header, Malformed> {
    let b: &[u8; HEADER_LEN] = c
        .take(HEADER_LEN)?
        .try_into()
        .map_err(|_| Malformed("truncated"))?;
    if b[0] as usize != HEADER_LEN {
        return Err(Malformed("header size"));
    }
    Ok(Header::decode(b))
}

/// Parses `n` fields.
pub fn parse_fields<'a>(c: &mut Cursor<'a>, n: u16) -> Result<Vec<Field<'a>>, Malformed> {
    parse_n(c, n, 64, parse_field)
}

/// Parses `n` items with `one`, reserving no more than `cap` up front (counts come from the
/// peer).
fn parse_n<'a, T>(
    c: &mut Cursor<'a>,
    n: u16,
    cap: usize,
    one: fn(&mut Cursor<'a>) -> Result<T, Malformed>,
) -> Result<Vec<T>, Malformed> {
    let mut out = Vec::with_capacity((n as usize).min(cap));
    for _ in 0..n {
        out.push(one(c)?);
    }
    Ok(out)
}

/// Parses one field.
pub fn parse_field<'a>(c: &mut Cursor<'a>) -> Result<Field<'a>, Malformed> {
    let size = c.u32()? as usize;
    if size == 0 {
        return Err(Malformed("field size 0"));
    }
    let kind = c.u8()?;
    Ok(Field {
        kind,
        data: c.take(size - 1)?,
    })
}

/// Parses `n` ops.
pub fn parse_ops<'a>(c: &mut Cursor<'a>, n: u16) -> Result<Vec<Op<'a>>, Malformed> {
    parse_n(c, n, 256, parse_op)
}

/// Parses one op.
pub fn parse_op<'a>(c: &mut Cursor<'a>) -> Result<Op<'a>, Malformed> {
    let size = c.u32()? as usize;
    if size < 4 {
        return Err(Malformed("op size"));
    }
    let code = c.u8()?;
    let particle = c.u8()?;
    let _flags = c.u8()?;
    let name_len = c.u8()? as usize;
    if name_len > size - 4 {
        return Err(Malformed("op name length"));
    }
    let name = c.take(name_len)?;
    let value = c.take(size - 4 - name_len)?;
    Ok(Op {
        code,
        particle,
        name,
        value,
    })
}

/// Parses a whole AS_MSG body.
pub fn parse(body: &[u8]) -> Result<Message<'_>, Malformed> {
    let mut c = Cursor::new(body);
    let header = parse_header(&mut c)?;
    let fields = parse_fields(&mut c, header.n_fields)?;
    let ops = parse_ops(&mut c, header.n_ops)?;
    Ok(Message {
        header,
        fields,
        ops,
    })
}

/// Appends AS_MSG messages (without proto headers) to a buffer.
#[derive(Default)]
pub struct MsgWriter {
    pub buf: Vec<u8>,
}

impl MsgWriter {
    /// Starts a message; fields and ops must follow in the counts given.
    #[inline]
    pub fn header(&mut self, h: &Header) {
        self.buf.extend_from_slice(&h.encode());
    }

    /// Appends one field.
    pub fn field(&mut self, kind: u8, data: &[u8]) {
        self.field_parts(kind, &[data]);
    }

    /// Appends one field whose data is the concatenation of `parts`.
    pub fn field_parts(&mut self, kind: u8, parts: &[&[u8]]) {
        put_field(&mut self.buf, kind, parts);
    }

    /// Appends one op/bin.
    #[inline]
    pub fn op(&mut self, code: u8, particle: u8, name: &[u8], value: &[u8]) {
        let name = &name[..name.len().min(255)];
        let b = &mut self.buf;
        b.reserve(8 + name.len() + value.len());
        b.extend_from_slice(&op_head(code, particle, name.len(), value.len()));
        // Bin names are short and integer/float values are 8 bytes: copying those without a
        // call to memcpy matters when a batch reply holds thousands of them.
        if name.len() <= 16 {
            for &c in name {
                b.push(c);
            }
        } else {
            b.extend_from_slice(name);
        }
        match <&[u8; 8]>::try_from(value) {
            Ok(v) => b.extend_from_slice(v),
            Err(_) => b.extend_from_slice(value),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_documented_get() {
        // GET all bins of (test, demo, "key1"), from the protocol reference.
        let mut body = vec![
            22u8, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x03, 0xe8, 0, 3, 0, 0,
        ];
        body.extend_from_slice(&[0, 0, 0, 5, 0]);
        body.extend_from_slice(b"test");
        body.extend_from_slice(&[0, 0, 0, 5, 1]);
        body.extend_from_slice(b"demo");
        body.extend_from_slice(&[0, 0, 0, 21, 4]);
        body.extend_from_slice(&[7u8; 20]);
        let m = parse(&body).unwrap();
        assert_eq!(m.header.info1, 3);
        assert_eq!(m.header.txn_ttl, 1000);
        assert_eq!(m.header.n_fields, 3);
        assert_eq!(m.field(FIELD_NAMESPACE), Some(&b"test"[..]));
        assert_eq!(m.field(FIELD_SET), Some(&b"demo"[..]));
        assert_eq!(m.field(FIELD_DIGEST).map(|d| d.len()), Some(20));
        // Every truncation of a valid message is an error, not a panic.
        for n in 0..body.len() {
            assert!(parse(&body[..n]).is_err(), "prefix {n}");
        }
    }

    #[test]
    fn writer_matches_documented_bytes() {
        let mut w = MsgWriter::default();
        w.header(&Header {
            generation: 1,
            n_ops: 2,
            ..Default::default()
        });
        w.op(1, 1, b"a", &1i64.to_be_bytes());
        w.op(1, 3, b"b", b"hi");
        let expected: Vec<u8> = [
            &[
                22u8, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2,
            ][..],
            &[0, 0, 0, 0x0d, 1, 1, 0, 1, b'a', 0, 0, 0, 0, 0, 0, 0, 1],
            &[0, 0, 0, 7, 1, 3, 0, 1, b'b', b'h', b'i'],
        ]
        .concat();
        assert_eq!(w.buf, expected);
    }

    #[test]
    fn rejects_lying_lengths() {
        let mut body = vec![22u8];
        body.extend_from_slice(&[0; 17]);
        body.extend_from_slice(&[0, 1, 0, 0]); // one field
        body.extend_from_slice(&[0xff, 0xff, 0xff, 0xff, 0]); // field claims 4 GiB
        assert_eq!(parse(&body).unwrap_err(), Malformed("truncated"));
        let mut body = vec![22u8];
        body.extend_from_slice(&[0; 17]);
        body.extend_from_slice(&[0, 0, 0, 1]); // one op
        body.extend_from_slice(&[0, 0, 0, 4, 2, 1, 0, 9]); // name longer than the op
        assert_eq!(parse(&body).unwrap_err(), Malformed("op name length"));
    }
}
