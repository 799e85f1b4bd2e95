//! The built form of an expression: a tree whose shape was checked (argument counts, static
//! types, variable scopes) when it was parsed from the wire.

use super::regex::Regex;
use super::value::{Ty, Val};

/// Wire op codes. The comparisons between EQ and LE are decoded as a range, so some of these
/// are never named; the table stays complete.
#[allow(dead_code)]
pub mod code {
    pub const UNKNOWN: u64 = 0;
    pub const EQ: u64 = 1;
    pub const NE: u64 = 2;
    pub const GT: u64 = 3;
    pub const GE: u64 = 4;
    pub const LT: u64 = 5;
    pub const LE: u64 = 6;
    pub const REGEX: u64 = 7;
    pub const GEO: u64 = 8;
    pub const IN_LIST: u64 = 9;
    pub const AND: u64 = 16;
    pub const OR: u64 = 17;
    pub const NOT: u64 = 18;
    pub const EXCLUSIVE: u64 = 19;
    pub const ADD: u64 = 20;
    pub const SUB: u64 = 21;
    pub const MUL: u64 = 22;
    pub const DIV: u64 = 23;
    pub const POW: u64 = 24;
    pub const LOG: u64 = 25;
    pub const MOD: u64 = 26;
    pub const ABS: u64 = 27;
    pub const FLOOR: u64 = 28;
    pub const CEIL: u64 = 29;
    pub const TO_INT: u64 = 30;
    pub const TO_FLOAT: u64 = 31;
    pub const INT_AND: u64 = 32;
    pub const INT_OR: u64 = 33;
    pub const INT_XOR: u64 = 34;
    pub const INT_NOT: u64 = 35;
    pub const INT_LSHIFT: u64 = 36;
    pub const INT_RSHIFT: u64 = 37;
    pub const INT_ARSHIFT: u64 = 38;
    pub const INT_COUNT: u64 = 39;
    pub const INT_LSCAN: u64 = 40;
    pub const INT_RSCAN: u64 = 41;
    pub const MIN: u64 = 50;
    pub const MAX: u64 = 51;
    pub const DIGEST_MODULO: u64 = 64;
    pub const DEVICE_SIZE: u64 = 65;
    pub const LAST_UPDATE: u64 = 66;
    pub const SINCE_UPDATE: u64 = 67;
    pub const VOID_TIME: u64 = 68;
    pub const TTL: u64 = 69;
    pub const SET_NAME: u64 = 70;
    pub const KEY_EXISTS: u64 = 71;
    pub const IS_TOMBSTONE: u64 = 72;
    pub const MEMORY_SIZE: u64 = 73;
    pub const RECORD_SIZE: u64 = 74;
    pub const KEY: u64 = 80;
    pub const BIN: u64 = 81;
    pub const BIN_TYPE: u64 = 82;
    pub const REMOVE_RESULT: u64 = 100;
    pub const MAP_KEYS: u64 = 101;
    pub const MAP_VALUES: u64 = 102;
    pub const LOOPVAR: u64 = 122;
    pub const COND: u64 = 123;
    pub const VAR: u64 = 124;
    pub const LET: u64 = 125;
    pub const QUOTE: u64 = 126;
    pub const CALL: u64 = 127;
}

/// Comparison operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cmp {
    Eq,
    Ne,
    Gt,
    Ge,
    Lt,
    Le,
}

/// Arithmetic and integer-bit operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Math {
    Add,
    Sub,
    Mul,
    Div,
    Pow,
    Log,
    Mod,
    Abs,
    Floor,
    Ceil,
    ToInt,
    ToFloat,
    IntAnd,
    IntOr,
    IntXor,
    IntNot,
    Lshift,
    Rshift,
    Arshift,
    Count,
    Lscan,
    Rscan,
    Min,
    Max,
}

/// Record metadata reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Meta {
    DeviceSize,
    LastUpdate,
    SinceUpdate,
    VoidTime,
    Ttl,
    SetName,
    KeyExists,
    IsTombstone,
    MemorySize,
    RecordSize,
}

/// A parameter of a collection call: raw msgpack copied into the op, or an expression whose
/// value is packed in its place.
#[derive(Debug)]
pub enum Param {
    Raw(Vec<u8>),
    Exp(Node),
}

/// A list/map, bit or HyperLogLog call on a value.
#[derive(Debug)]
pub struct Call {
    /// The declared result type.
    pub ty: Ty,
    /// 0 CDT, 1 bits, 2 HLL; plus 0x40 for the modify-local variants.
    pub system: u64,
    /// The raw context of a `[0xff, ctx, op]` payload.
    pub ctx: Option<Vec<u8>>,
    pub op: u64,
    pub params: Vec<Param>,
    pub bin: Node,
}

/// One expression node.
#[derive(Debug)]
pub enum Node {
    Value(Val),
    Unknown,
    Compare(Cmp, Box<[Node; 2]>),
    Regex(Box<Regex>, Box<Node>),
    Geo(Box<[Node; 2]>),
    InList(Box<[Node; 2]>),
    And(Vec<Node>),
    Or(Vec<Node>),
    Not(Box<Node>),
    Exclusive(Vec<Node>),
    Math(Math, Vec<Node>),
    Meta(Meta),
    DigestModulo(i64),
    Key(Ty),
    Bin(Ty, Vec<u8>),
    BinType(Vec<u8>),
    RemoveResult,
    /// MAP_KEYS (`false`) or MAP_VALUES (`true`).
    MapEntries(Box<Node>, bool),
    /// `[cond1, value1, cond2, value2, …, default]`.
    Cond(Vec<Node>),
    Var(usize),
    /// A path-expression loop variable; never bound outside path operations.
    LoopVar,
    Let(Vec<(usize, Node)>, Box<Node>),
    Call(Box<Call>),
}
