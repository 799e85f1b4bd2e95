//! Which index a query uses and what it looks for: the INDEX_RANGE filter, then the index by
//! name (INDEX_NAME), or by definition — set, bin or expression (INDEX_EXPRESSION), key type,
//! collection type (INDEX_TYPE) and context (INDEX_CONTEXT). A query on a set may use an
//! index on that set or, failing that, one on the whole namespace.

use std::collections::HashSet;
use std::ops::Bound;
use std::sync::Arc;

use super::parts::Part;
use crate::msg::*;
use crate::record::Digest;
use crate::record::Record;
use crate::result as rc;
use crate::sindex::def::{Collection, KeyType};
use crate::sindex::filter::{Filter, IndexRange};
use crate::sindex::{extract, SIndex};
use crate::store::Namespace;

/// An index query: the index and the filter on it.
pub struct Plan {
    pub index: Arc<SIndex>,
    pub filter: Filter,
}

impl Plan {
    /// Resolves a message's index filter. `Ok(None)`: the message has none (a scan).
    /// Errors: PARAMETER for malformed fields, SINDEX_NOT_FOUND when no index fits.
    pub fn of(ns: &Namespace, m: &Message<'_>) -> Result<Option<Plan>, u8> {
        let Some(range) = m.field(FIELD_INDEX_RANGE) else {
            return Ok(None);
        };
        let range = IndexRange::parse(range).map_err(|_| rc::PARAMETER)?;
        let name = m.field(FIELD_INDEX_NAME);
        let exp = m.field(FIELD_INDEX_EXPRESSION);
        let ctx = m.field(FIELD_INDEX_CONTEXT);
        let by_other = name.is_some() || exp.is_some();
        if (name.is_some() && exp.is_some())
            || range.bin.is_empty() != by_other
            || (ctx.is_some() && by_other)
            || [name, exp, ctx].iter().flatten().any(|f| f.is_empty())
        {
            return Err(rc::PARAMETER);
        }
        // An unknown collection type matches no definition (a named index ignores it).
        let itype = match m.field(FIELD_INDEX_TYPE) {
            None => Some(Collection::Default),
            Some([b, ..]) => Collection::from_wire(*b),
            Some([]) => return Err(rc::PARAMETER),
        };
        let index = match name {
            Some(n) => {
                let n = std::str::from_utf8(n).map_err(|_| rc::PARAMETER)?;
                ns.sindex.by_name(n)
            }
            None => {
                let set = m.field(FIELD_SET).unwrap_or(&[]);
                let (ktype, bin) = (range.filter.ktype(), range.bin.as_bytes());
                let fits = |ix: &SIndex, set: &[u8]| {
                    let d = &ix.def;
                    d.set.as_bytes() == set
                        && d.bin.as_bytes() == bin
                        && d.ktype == ktype
                        && Some(d.itype) == itype
                        && d.exp_bytes == exp.unwrap_or(&[])
                        && d.ctx_bytes == ctx.unwrap_or(&[])
                };
                ns.sindex
                    .find(|ix| fits(ix, set))
                    .or_else(|| ns.sindex.find(|ix| fits(ix, b"")))
            }
        };
        let index = index.ok_or(rc::SINDEX_NOT_FOUND)?;
        Ok(Some(Plan {
            index,
            filter: range.filter,
        }))
    }

    /// The key type the filter asks for does not match the index's: nothing can match.
    pub fn hopeless(&self) -> bool {
        self.filter.ktype() != self.index.def.ktype
    }

    /// Whether a record (found through the index) really matches the filter.
    pub fn matches(&self, rec: &Record, digest: &Digest, now_ns: u64) -> bool {
        !self.hopeless()
            && extract::any(&self.index.def, rec, digest, now_ns, |v| {
                self.filter.matches(v)
            })
    }

    /// The key type of the index.
    pub fn ktype(&self) -> KeyType {
        self.index.def.ktype
    }

    /// Calls `f(bval, digest, record)` for the live records of one partition that match, in
    /// index order after the partition's resume point, while `f` returns true. A record found
    /// under several matching keys (collection indexes) is visited once.
    pub fn visit(
        &self,
        ns: &Namespace,
        part: Part,
        now_cl: u32,
        now_ns: u64,
        mut f: impl FnMut(i64, &Digest, &Record) -> bool,
    ) {
        if self.hopeless() {
            return;
        }
        let ktype = self.ktype();
        let (lo, hi) = self.filter.key_range();
        let start = match part.resume {
            Some(r) if extract::key_of_bval(ktype, r.bval) >= lo => {
                Bound::Excluded((extract::key_of_bval(ktype, r.bval), r.digest))
            }
            _ => Bound::Included((lo, [0u8; 20])),
        };
        let dedup = self.index.def.itype != Collection::Default;
        let mut seen: HashSet<Digest> = HashSet::new();
        let records = ns.read(part.pid);
        self.index.visit(part.pid, start, hi, |(key, digest)| {
            let Some(rec) = records.get(digest) else {
                return true;
            };
            if rec.expired(now_cl) || !self.matches(rec, digest, now_ns) {
                return true;
            }
            if dedup && !seen.insert(*digest) {
                return true;
            }
            f(extract::bval_of(ktype, *key), digest, rec)
        });
    }
}
