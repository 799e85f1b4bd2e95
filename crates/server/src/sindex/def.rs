//! An index definition as the data side needs it: what it indexes (a bin, or an expression's
//! value), where (the whole namespace or one set), the key type, the collection type and the
//! optional CDT context — parsed and checked from the catalog's text definition.

use base64::Engine;

use super::ctx::Path;
use crate::catalog;
use crate::expr::{Expr, Ty};
use crate::record::particle;

/// What the index keys are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyType {
    Numeric,
    String,
    Blob,
    Geo,
}

impl KeyType {
    fn from_name(name: &str) -> Option<KeyType> {
        Some(match name {
            "numeric" | "integer" => KeyType::Numeric,
            "string" => KeyType::String,
            "blob" => KeyType::Blob,
            "geo2dsphere" => KeyType::Geo,
            _ => return None,
        })
    }

    /// The particle type a query filter on this index carries.
    pub fn particle(self) -> u8 {
        match self {
            KeyType::Numeric => particle::INTEGER,
            KeyType::String => particle::STRING,
            KeyType::Blob => particle::BLOB,
            KeyType::Geo => particle::GEOJSON,
        }
    }

    /// Whether keys order as signed integers (numeric) or as unsigned hashes/cells.
    pub fn signed(self) -> bool {
        self == KeyType::Numeric
    }
}

/// Which elements of the (context-selected) value are indexed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Collection {
    /// The value itself.
    Default,
    /// Every element of a list.
    List,
    /// Every key of a map.
    MapKeys,
    /// Every value of a map.
    MapValues,
}

impl Collection {
    /// From the INDEX_TYPE field byte.
    pub fn from_wire(b: u8) -> Option<Collection> {
        Some(match b {
            0 => Collection::Default,
            1 => Collection::List,
            2 => Collection::MapKeys,
            3 => Collection::MapValues,
            _ => return None,
        })
    }

    fn from_name(name: &str) -> Option<Collection> {
        Some(match name {
            "default" => Collection::Default,
            "list" => Collection::List,
            "mapkeys" => Collection::MapKeys,
            "mapvalues" => Collection::MapValues,
            _ => return None,
        })
    }
}

/// A checked index definition.
#[derive(Debug)]
pub struct Def {
    pub name: String,
    /// The set indexed; empty for the whole namespace.
    pub set: String,
    /// The bin indexed; empty for an expression index.
    pub bin: String,
    pub ktype: KeyType,
    pub itype: Collection,
    /// Packed context as sent (compared byte for byte with a query's INDEX_CONTEXT).
    pub ctx_bytes: Vec<u8>,
    pub ctx: Option<Path>,
    /// Packed expression as sent (compared with a query's INDEX_EXPRESSION).
    pub exp_bytes: Vec<u8>,
    pub exp: Option<Expr>,
}

fn b64(text: &str) -> Option<Vec<u8>> {
    base64::engine::general_purpose::STANDARD.decode(text).ok()
}

impl Def {
    /// Checks a catalog definition. `Ok(None)` for a set index (it keeps no data here);
    /// `Err` is the info error to answer.
    pub fn from_catalog(ix: &catalog::Index) -> Result<Option<Def>, String> {
        if ix.collection == "set" {
            return Ok(None);
        }
        let ktype = KeyType::from_name(&ix.kind).ok_or("ERROR:4:bad 'type'")?;
        let itype = Collection::from_name(&ix.collection).ok_or("ERROR:4:bad 'indextype'")?;
        if itype == Collection::MapKeys && ktype == KeyType::Geo {
            return Err("ERROR:4:bad bin type for 'indextype' 'mapkeys'".into());
        }
        let (ctx_bytes, ctx) = if ix.context.is_empty() {
            (Vec::new(), None)
        } else {
            let bytes = b64(&ix.context).ok_or("ERROR:4:'context' invalid base64")?;
            let path = Path::parse(&bytes).ok_or("ERROR:4:'context' invalid cdt context")?;
            (bytes, Some(path))
        };
        let (exp_bytes, exp) = if ix.exp.is_empty() {
            (Vec::new(), None)
        } else {
            if ctx.is_some() {
                return Err("ERROR:4:both 'context' and 'exp' are specified".into());
            }
            if !ix.bin.is_empty() {
                return Err("ERROR:4:both 'bin' and 'exp' are specified".into());
            }
            let bytes = b64(&ix.exp).ok_or("ERROR:4:bad 'exp'")?;
            let exp = Expr::build(&bytes).map_err(|_| "ERROR:4:bad 'exp'")?;
            let want = match (itype, ktype) {
                (Collection::List, _) => Ty::List,
                (Collection::MapKeys | Collection::MapValues, _) => Ty::Map,
                (Collection::Default, KeyType::Numeric) => Ty::Int,
                (Collection::Default, KeyType::String) => Ty::Str,
                (Collection::Default, KeyType::Blob) => Ty::Blob,
                (Collection::Default, KeyType::Geo) => Ty::Geo,
            };
            if exp.ty() != want {
                return Err(
                    "ERROR:4:bad 'exp' - expression type does not match expected type".into(),
                );
            }
            (bytes, Some(exp))
        };
        if ix.bin.is_empty() && exp.is_none() {
            return Err("ERROR:4:both 'bin' and 'exp' are missing".into());
        }
        if ix.bin.len() > crate::record::MAX_BIN_NAME {
            return Err("ERROR:4:bin name too long".into());
        }
        Ok(Some(Def {
            name: ix.name.clone(),
            set: ix.set.clone(),
            bin: ix.bin.clone(),
            ktype,
            itype,
            ctx_bytes,
            ctx,
            exp_bytes,
            exp,
        }))
    }

    /// Whether two definitions index the same thing (names aside).
    pub fn same_as(&self, o: &Def) -> bool {
        self.set == o.set
            && self.bin == o.bin
            && self.ktype == o.ktype
            && self.itype == o.itype
            && self.ctx_bytes == o.ctx_bytes
            && self.exp_bytes == o.exp_bytes
    }

    /// Whether records of `set` belong in this index.
    pub fn covers_set(&self, set: &str) -> bool {
        self.set.is_empty() || self.set == set
    }
}
