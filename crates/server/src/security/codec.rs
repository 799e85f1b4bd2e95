//! The admin message (proto type 2): a 16-byte header and fields, in both directions.
//!
//! `scheme (1) | result (1) | command (1) | field count (1) | 12 zero bytes`, then each field as
//! `u32 length (id + data) | u8 id | data`. Lists inside fields: roles as `count | (len | name)*`,
//! privileges as `count | (code [| ns len | ns | set len | set])*` (the scope only for codes that
//! can be scoped), a whitelist as one comma-separated string, quotas and the session TTL as u32.
//! Replies to queries are one block (header and fields) per user or role, then a block whose
//! result is QUERY_END.

use aerospike_cdt::wire::admin::HEADER_LEN as HEADER;

use super::roles::Privilege;
use crate::msg::Cursor;
use crate::result as rc;

/// The commands and field ids, as the rest of the server names them (`codec::LOGIN`, …).
pub use aerospike_cdt::wire::admin::*;

/// A request: its command and fields. A malformed field is INVALID_FIELD; a body shorter than
/// the header, INVALID_COMMAND.
pub struct Request<'a> {
    pub command: u8,
    fields: Vec<(u8, &'a [u8])>,
}

impl<'a> Request<'a> {
    pub fn parse(body: &'a [u8]) -> Result<Self, u8> {
        if body.len() < HEADER {
            return Err(rc::INVALID_COMMAND);
        }
        let mut c = Cursor::new(&body[HEADER..]);
        let mut fields = Vec::with_capacity(body[3] as usize);
        for _ in 0..body[3] {
            let len = c.u32().map_err(|_| rc::INVALID_FIELD)? as usize;
            let data = c.take(len).map_err(|_| rc::INVALID_FIELD)?;
            let (&id, data) = data.split_first().ok_or(rc::INVALID_FIELD)?;
            fields.push((id, data));
        }
        Ok(Request {
            command: body[2],
            fields,
        })
    }

    pub fn field(&self, id: u8) -> Option<&'a [u8]> {
        self.fields.iter().find(|(i, _)| *i == id).map(|(_, d)| *d)
    }

    /// A text field; absent or not UTF-8 is `missing`.
    pub fn text(&self, id: u8, missing: u8) -> Result<&'a str, u8> {
        self.field(id)
            .and_then(|d| std::str::from_utf8(d).ok())
            .filter(|s| !s.is_empty())
            .ok_or(missing)
    }

    /// A u32 field (absent: 0).
    pub fn u32(&self, id: u8) -> Result<u32, u8> {
        match self.field(id) {
            None => Ok(0),
            Some(d) => Ok(u32::from_be_bytes(
                d.try_into().map_err(|_| rc::INVALID_FIELD)?,
            )),
        }
    }

    /// The ROLES field.
    pub fn roles(&self) -> Result<Vec<String>, u8> {
        let mut c = Cursor::new(self.field(ROLES).ok_or(rc::INVALID_ROLE)?);
        let n = c.u8().map_err(|_| rc::INVALID_FIELD)?;
        (0..n).map(|_| short_text(&mut c)).collect()
    }

    /// The PRIVILEGES field (absent: none).
    pub fn privileges(&self) -> Result<Vec<Privilege>, u8> {
        let Some(data) = self.field(PRIVILEGES) else {
            return Ok(Vec::new());
        };
        let mut c = Cursor::new(data);
        let n = c.u8().map_err(|_| rc::INVALID_FIELD)?;
        let mut out = Vec::with_capacity(n as usize);
        for _ in 0..n {
            let code = c.u8().map_err(|_| rc::INVALID_FIELD)?;
            let (namespace, set) = if Privilege::scoped(code) {
                (short_text(&mut c)?, short_text(&mut c)?)
            } else {
                Default::default()
            };
            out.push(Privilege {
                code,
                namespace,
                set,
            });
        }
        Ok(out)
    }

    /// The WHITELIST field, split at commas (absent: empty).
    pub fn whitelist(&self) -> Result<Vec<String>, u8> {
        let Some(data) = self.field(WHITELIST) else {
            return Ok(Vec::new());
        };
        let text = std::str::from_utf8(data).map_err(|_| rc::INVALID_WHITELIST)?;
        Ok(text
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect())
    }
}

/// `len (u8) | bytes` as text.
fn short_text(c: &mut Cursor<'_>) -> Result<String, u8> {
    let len = c.u8().map_err(|_| rc::INVALID_FIELD)? as usize;
    let bytes = c.take(len).map_err(|_| rc::INVALID_FIELD)?;
    String::from_utf8(bytes.to_vec()).map_err(|_| rc::INVALID_FIELD)
}

/// One reply block being written: its header, then fields.
pub struct Block {
    buf: Vec<u8>,
    start: usize,
}

impl Block {
    /// Starts a block with `result` in `out`.
    pub fn start(out: Vec<u8>, result: u8) -> Block {
        let start = out.len();
        let mut buf = out;
        buf.extend_from_slice(&[0, result]);
        buf.resize(start + HEADER, 0);
        Block { buf, start }
    }

    pub fn bytes(&mut self, id: u8, data: &[u8]) -> &mut Self {
        self.buf
            .extend_from_slice(&(data.len() as u32 + 1).to_be_bytes());
        self.buf.push(id);
        self.buf.extend_from_slice(data);
        self.buf[self.start + 3] += 1;
        self
    }

    pub fn u32(&mut self, id: u8, v: u32) -> &mut Self {
        self.bytes(id, &v.to_be_bytes())
    }

    /// A list of names, each `len | name` after a count.
    pub fn names(&mut self, id: u8, names: &[String]) -> &mut Self {
        let mut data = vec![names.len() as u8];
        for n in names {
            data.push(n.len() as u8);
            data.extend_from_slice(n.as_bytes());
        }
        self.bytes(id, &data)
    }

    pub fn privileges(&mut self, privileges: &[Privilege]) -> &mut Self {
        let mut data = vec![privileges.len() as u8];
        for p in privileges {
            data.push(p.code);
            if Privilege::scoped(p.code) {
                for part in [&p.namespace, &p.set] {
                    data.push(part.len() as u8);
                    data.extend_from_slice(part.as_bytes());
                }
            }
        }
        self.bytes(PRIVILEGES, &data)
    }

    pub fn finish(self) -> Vec<u8> {
        self.buf
    }
}

/// A reply of one block with only a result code.
pub fn result_only(result: u8) -> Vec<u8> {
    Block::start(Vec::new(), result).finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_round_trip_through_the_request_parser() {
        let mut b = Block::start(vec![], 0);
        b.bytes(USER, b"bob")
            .names(ROLES, &["read".into(), "x".into()]);
        b.privileges(&[
            Privilege::named("user-admin").unwrap(),
            Privilege {
                code: 10,
                namespace: "test".into(),
                set: "s".into(),
            },
        ]);
        b.u32(READ_QUOTA, 5).bytes(WHITELIST, b"10.0.0.1, ::1");
        let body = b.finish();
        let r = Request::parse(&body).unwrap();
        assert_eq!(r.text(USER, rc::INVALID_USER), Ok("bob"));
        assert_eq!(r.roles().unwrap(), ["read", "x"]);
        assert_eq!(r.privileges().unwrap()[1].namespace, "test");
        assert_eq!(r.u32(READ_QUOTA), Ok(5));
        assert_eq!(r.u32(WRITE_QUOTA), Ok(0));
        assert_eq!(r.whitelist().unwrap(), ["10.0.0.1", "::1"]);
        assert_eq!(Request::parse(&[0; 4]).err(), Some(rc::INVALID_COMMAND));
        let mut truncated = body.clone();
        truncated.truncate(body.len() - 3);
        assert_eq!(Request::parse(&truncated).err(), Some(rc::INVALID_FIELD));
    }
}
