//! The AS_MSG codec: a 22-byte header, then fields, then ops (bins).
//!
//! Parsing borrows from the request body and checks every length against what is left, so a
//! truncated or lying message is an error, never a panic or a huge allocation. Encoding goes
//! through [`MsgWriter`], which appends whole messages to one output buffer.

/// Length of the AS_MSG header.
pub const HEADER_LEN: usize = 22;

// info1 flags.
pub const INFO1_READ: u8 = 0x01;
pub const INFO1_GET_ALL: u8 = 0x02;
pub const INFO1_BATCH: u8 = 0x08;
pub const INFO1_GET_NO_BINS: u8 = 0x20;
// info2 flags.
pub const INFO2_WRITE: u8 = 0x01;
pub const INFO2_DELETE: u8 = 0x02;
pub const INFO2_GENERATION: u8 = 0x04;
pub const INFO2_GENERATION_GT: u8 = 0x08;
pub const INFO2_CREATE_ONLY: u8 = 0x20;
pub const INFO2_RESPOND_ALL_OPS: u8 = 0x80;
// info3 flags.
pub const INFO3_LAST: u8 = 0x01;
pub const INFO3_PARTITION_DONE: u8 = 0x04;
pub const INFO3_UPDATE_ONLY: u8 = 0x08;
pub const INFO3_CREATE_OR_REPLACE: u8 = 0x10;
pub const INFO3_REPLACE_ONLY: u8 = 0x20;

// Field types.
pub const FIELD_NAMESPACE: u8 = 0;
pub const FIELD_SET: u8 = 1;
pub const FIELD_KEY: u8 = 2;
pub const FIELD_DIGEST: u8 = 4;
pub const FIELD_MRT_ID: u8 = 5;
pub const FIELD_TRID: u8 = 7;
pub const FIELD_PID_ARRAY: u8 = 11;
pub const FIELD_DIGEST_ARRAY: u8 = 12;
pub const FIELD_MAX_RECORDS: u8 = 13;
pub const FIELD_INDEX_RANGE: u8 = 22;
pub const FIELD_UDF_FILENAME: u8 = 30;
pub const FIELD_UDF_FUNCTION: u8 = 31;
pub const FIELD_UDF_ARGLIST: u8 = 32;
pub const FIELD_UDF_OP: u8 = 33;
pub const FIELD_BATCH_INDEX: u8 = 41;
pub const FIELD_BATCH_INDEX_WITH_SET: u8 = 42;
pub const FIELD_FILTER_EXP: u8 = 43;

/// The fixed part of a request or response.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Header {
    pub info1: u8,
    pub info2: u8,
    pub info3: u8,
    pub info4: u8,
    pub result: u8,
    pub generation: u32,
    pub ttl: u32,
    pub txn_ttl: u32,
    pub n_fields: u16,
    pub n_ops: u16,
}

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

/// A bounds-checked reader over a byte slice.
pub struct Cursor<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    pub fn new(buf: &'a [u8]) -> Self {
        Cursor { buf, pos: 0 }
    }
    pub fn remaining(&self) -> usize {
        self.buf.len() - self.pos
    }
    pub fn take(&mut self, n: usize) -> Result<&'a [u8], Malformed> {
        if self.remaining() < n {
            return Err(Malformed("truncated"));
        }
        let s = &self.buf[self.pos..self.pos + n];
        self.pos += n;
        Ok(s)
    }
    pub fn u8(&mut self) -> Result<u8, Malformed> {
        Ok(self.take(1)?[0])
    }
    pub fn u16(&mut self) -> Result<u16, Malformed> {
        let b = self.take(2)?;
        Ok(u16::from_be_bytes([b[0], b[1]]))
    }
    pub fn u32(&mut self) -> Result<u32, Malformed> {
        let b = self.take(4)?;
        Ok(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    }
}

/// Parses the 22-byte header.
pub fn parse_header(c: &mut Cursor<'_>) -> Result<Header, Malformed> {
    let b = c.take(HEADER_LEN)?;
    if b[0] as usize != HEADER_LEN {
        return Err(Malformed("header size"));
    }
    let be32 = |i: usize| u32::from_be_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]);
    Ok(Header {
        info1: b[1],
        info2: b[2],
        info3: b[3],
        info4: b[4],
        result: b[5],
        generation: be32(6),
        ttl: be32(10),
        txn_ttl: be32(14),
        n_fields: u16::from_be_bytes([b[18], b[19]]),
        n_ops: u16::from_be_bytes([b[20], b[21]]),
    })
}

/// Parses `n` fields.
pub fn parse_fields<'a>(c: &mut Cursor<'a>, n: u16) -> Result<Vec<Field<'a>>, Malformed> {
    let mut out = Vec::with_capacity((n as usize).min(64));
    for _ in 0..n {
        out.push(parse_field(c)?);
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
    let mut out = Vec::with_capacity((n as usize).min(256));
    for _ in 0..n {
        out.push(parse_op(c)?);
    }
    Ok(out)
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
        let mut b = [0u8; HEADER_LEN];
        b[0] = HEADER_LEN as u8;
        b[1..6].copy_from_slice(&[h.info1, h.info2, h.info3, h.info4, h.result]);
        b[6..10].copy_from_slice(&h.generation.to_be_bytes());
        b[10..14].copy_from_slice(&h.ttl.to_be_bytes());
        b[14..18].copy_from_slice(&h.txn_ttl.to_be_bytes());
        b[18..20].copy_from_slice(&h.n_fields.to_be_bytes());
        b[20..22].copy_from_slice(&h.n_ops.to_be_bytes());
        self.buf.extend_from_slice(&b);
    }

    /// Appends one field.
    pub fn field(&mut self, kind: u8, data: &[u8]) {
        self.field_parts(kind, &[data]);
    }

    /// Appends one field whose data is the concatenation of `parts`.
    pub fn field_parts(&mut self, kind: u8, parts: &[&[u8]]) {
        let len: usize = parts.iter().map(|p| p.len()).sum();
        self.buf
            .extend_from_slice(&((len + 1) as u32).to_be_bytes());
        self.buf.push(kind);
        for p in parts {
            self.buf.extend_from_slice(p);
        }
    }

    /// Appends one op/bin.
    #[inline]
    pub fn op(&mut self, code: u8, particle: u8, name: &[u8], value: &[u8]) {
        let name = &name[..name.len().min(255)];
        let b = &mut self.buf;
        b.reserve(8 + name.len() + value.len());
        let mut head = [0u8; 8];
        head[..4].copy_from_slice(&((4 + name.len() + value.len()) as u32).to_be_bytes());
        head[4..].copy_from_slice(&[code, particle, 0, name.len() as u8]);
        b.extend_from_slice(&head);
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
