//! One single-record command, whether it arrived alone or as a row of a batch, and its reply.
//!
//! Both paths parse into [`Command`] and run the same code, so a batch row behaves exactly like
//! the equivalent single command.

use crate::msg::{self, Header, Malformed, Message, MsgWriter, Op};
use crate::msg::{FIELD_UDF_ARGLIST, FIELD_UDF_FILENAME, FIELD_UDF_FUNCTION};
use crate::record::Digest;
use crate::record::Value;

/// A single-record command. It only borrows (the request body and its parsed ops), so copying
/// one is cheap.
#[derive(Debug, Clone, Copy)]
pub struct Command<'a> {
    pub info1: u8,
    pub info2: u8,
    pub info3: u8,
    pub generation: u32,
    pub ttl: u32,
    pub namespace: &'a [u8],
    /// The SET field as sent (`None` when absent; empty means "no set").
    pub set: Option<&'a [u8]>,
    /// The KEY field: particle type byte then value.
    pub key: Option<&'a [u8]>,
    pub digest: Digest,
    pub filter: Option<&'a [u8]>,
    /// The UDF fields, when the command is an apply.
    pub udf: Option<Call<'a>>,
    /// The command belongs to a multi-record transaction (Enterprise only).
    pub mrt: bool,
    pub ops: &'a [Op<'a>],
}

impl<'a> Command<'a> {
    /// Builds a command from a message that carries a DIGEST field.
    pub fn from_message(m: &'a Message<'a>) -> Result<Self, Malformed> {
        let digest = m.field(msg::FIELD_DIGEST).ok_or(Malformed("no digest"))?;
        let digest: Digest = digest.try_into().map_err(|_| Malformed("digest length"))?;
        Ok(Command {
            info1: m.header.info1,
            info2: m.header.info2,
            info3: m.header.info3,
            generation: m.header.generation,
            ttl: m.header.ttl,
            namespace: m.field(msg::FIELD_NAMESPACE).unwrap_or(&[]),
            set: m.field(msg::FIELD_SET),
            key: m.field(msg::FIELD_KEY),
            digest,
            filter: m.field(msg::FIELD_FILTER_EXP),
            udf: Call::from_fields(|k| m.field(k)),
            mrt: m.field(msg::FIELD_MRT_ID).is_some(),
            ops: &m.ops,
        })
    }

    /// Whether any of the given info2 bits are set.
    pub fn info2(&self, bits: u8) -> bool {
        self.info2 & bits != 0
    }

    /// Whether any of the given info3 bits are set.
    pub fn info3(&self, bits: u8) -> bool {
        self.info3 & bits != 0
    }
}

/// The UDF fields of a command.
#[derive(Debug, Clone, Copy)]
pub struct Call<'a> {
    /// Module name as sent (without `.lua`).
    pub module: &'a [u8],
    pub function: &'a [u8],
    /// Msgpack list of arguments.
    pub args: Option<&'a [u8]>,
}

impl<'a> Call<'a> {
    /// The call described by a message's (or batch row's) fields, if it names a module.
    pub fn from_fields(field: impl Fn(u8) -> Option<&'a [u8]>) -> Option<Self> {
        Some(Call {
            module: field(FIELD_UDF_FILENAME)?,
            function: field(FIELD_UDF_FUNCTION).unwrap_or(&[]),
            args: field(FIELD_UDF_ARGLIST),
        })
    }
}

/// One bin (or op result) in a reply. `value: None` is a placeholder: particle 0, no bytes.
#[derive(Debug, Clone)]
pub struct OutBin {
    pub code: u8,
    pub name: Vec<u8>,
    pub value: Option<Value>,
}

/// The reply to one command.
#[derive(Debug, Clone, Default)]
pub struct Reply {
    pub result: u8,
    pub generation: u32,
    pub void_time: u32,
    pub bins: Vec<OutBin>,
}

impl Reply {
    /// A reply with only a result code.
    pub fn code(result: u8) -> Self {
        Reply {
            result,
            ..Default::default()
        }
    }

    /// Appends this reply as one AS_MSG; `index` goes in the transaction-ttl slot (batch rows).
    pub fn encode(&self, w: &mut MsgWriter, index: u32) {
        w.header(&Header {
            result: self.result,
            generation: self.generation,
            ttl: self.void_time,
            txn_ttl: index,
            n_ops: self.bins.len().min(u16::MAX as usize) as u16,
            ..Default::default()
        });
        for b in self.bins.iter().take(u16::MAX as usize) {
            match &b.value {
                Some(v) => w.op(b.code, v.particle, &b.name, &v.data),
                None => w.op(b.code, 0, &b.name, &[]),
            }
        }
    }
}
