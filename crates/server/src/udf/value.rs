//! Values as a record UDF sees them, and their conversions to and from msgpack and bin particles.
//!
//! Lists and maps are shared (`Rc<RefCell<…>>`): a list read from a bin, changed in Lua and
//! assigned back changes the value the record holds, as with the real server's `as_list`.

use std::cell::RefCell;
use std::rc::Rc;

use aerospike_cdt::value::{self as mp, Value as Mp};

use crate::record::{particle, Value as Particle};

/// Deepest nesting converted (also stops cycles such as `l[1] = l`).
const MAX_DEPTH: usize = 64;

/// A shared list.
pub type ListRef = Rc<RefCell<Vec<Val>>>;
/// A shared map.
pub type MapRef = Rc<RefCell<MapData>>;

/// A map's entries and its order flag (kept so a key-ordered bin stays key-ordered).
#[derive(Debug, Default)]
pub struct MapData {
    pub order: u8,
    pub entries: Vec<(Val, Val)>,
}

impl MapData {
    /// The value under `key`.
    pub fn get(&self, key: &Val) -> Option<&Val> {
        self.entries
            .iter()
            .find(|(k, _)| k.key_eq(key))
            .map(|(_, v)| v)
    }

    /// Sets `key` (a nil value removes it).
    /// `m[k] = v` in Lua: the real server keeps a key given nil, with a nil value.
    pub fn assign(&mut self, key: Val, value: Val) {
        match self.entries.iter().position(|(k, _)| k.key_eq(&key)) {
            Some(i) => self.entries[i].1 = value,
            None => self.entries.push((key, value)),
        }
    }

    pub fn set(&mut self, key: Val, value: Val) {
        let pos = self.entries.iter().position(|(k, _)| k.key_eq(&key));
        match (pos, value) {
            (Some(i), Val::Nil) => {
                self.entries.remove(i);
            }
            (Some(i), v) => self.entries[i].1 = v,
            (None, Val::Nil) => {}
            (None, v) => self.entries.push((key, v)),
        }
    }
}

/// One value.
#[derive(Debug, Clone)]
pub enum Val {
    Nil,
    Bool(bool),
    Int(i64),
    Float(f64),
    /// A string (particle 3).
    Str(Vec<u8>),
    /// Other string-class payloads: blob (4), language blobs, GeoJSON (23).
    Bytes(u8, Vec<u8>),
    List(ListRef),
    Map(MapRef),
}

impl Val {
    /// A new shared list.
    pub fn list(items: Vec<Val>) -> Val {
        Val::List(Rc::new(RefCell::new(items)))
    }

    /// A new shared (unordered) map.
    pub fn map(entries: Vec<(Val, Val)>) -> Val {
        Val::Map(Rc::new(RefCell::new(MapData { order: 0, entries })))
    }

    /// Equality for map keys: scalars by value, lists and maps by identity.
    pub fn key_eq(&self, other: &Val) -> bool {
        match (self, other) {
            (Val::Nil, Val::Nil) => true,
            (Val::Bool(a), Val::Bool(b)) => a == b,
            (Val::Int(a), Val::Int(b)) => a == b,
            (Val::Float(a), Val::Float(b)) => a == b,
            (Val::Int(a), Val::Float(b)) | (Val::Float(b), Val::Int(a)) => *a as f64 == *b,
            (Val::Str(a), Val::Str(b)) => a == b,
            (Val::Bytes(t, a), Val::Bytes(u, b)) => t == u && a == b,
            (Val::List(a), Val::List(b)) => Rc::ptr_eq(a, b),
            (Val::Map(a), Val::Map(b)) => Rc::ptr_eq(a, b),
            _ => false,
        }
    }

    /// From a msgpack value.
    pub fn from_mp(v: &Mp) -> Val {
        match v {
            Mp::Nil | Mp::Ext(..) | Mp::Wildcard | Mp::Infinity => Val::Nil,
            Mp::Bool(b) => Val::Bool(*b),
            Mp::Int(i) => Val::Int(*i),
            Mp::Float(f) => Val::Float(*f),
            Mp::Bytes(mp::PT_STRING, s) => Val::Str(s.clone()),
            Mp::Bytes(t, b) => Val::Bytes(*t, b.clone()),
            Mp::List(l) => Val::list(l.items.iter().map(Val::from_mp).collect()),
            Mp::Map(m) => Val::Map(Rc::new(RefCell::new(MapData {
                order: m.order & mp::MAP_KEY_VALUE_ORDERED,
                entries: m
                    .entries
                    .iter()
                    .map(|(k, v)| (Val::from_mp(k), Val::from_mp(v)))
                    .collect(),
            }))),
        }
    }

    /// To a msgpack value; fails on nesting deeper than 64 levels (or a cycle).
    pub fn to_mp(&self) -> Result<Mp, String> {
        self.to_mp_at(0)
    }

    fn to_mp_at(&self, depth: usize) -> Result<Mp, String> {
        if depth > MAX_DEPTH {
            return Err("value nested too deeply".into());
        }
        Ok(match self {
            Val::Nil => Mp::Nil,
            Val::Bool(b) => Mp::Bool(*b),
            Val::Int(i) => Mp::Int(*i),
            Val::Float(f) => Mp::Float(*f),
            Val::Str(s) => Mp::Bytes(mp::PT_STRING, s.clone()),
            Val::Bytes(t, b) => Mp::Bytes(*t, b.clone()),
            Val::List(l) => Mp::List(mp::List {
                ordered: false,
                extra_flags: 0,
                items: l
                    .borrow()
                    .iter()
                    .map(|v| v.to_mp_at(depth + 1))
                    .collect::<Result<_, _>>()?,
            }),
            Val::Map(m) => {
                let m = m.borrow();
                let mut entries = m
                    .entries
                    .iter()
                    .map(|(k, v)| Ok((k.to_mp_at(depth + 1)?, v.to_mp_at(depth + 1)?)))
                    .collect::<Result<Vec<_>, String>>()?;
                if m.order != 0 {
                    mp::sort_entries(&mut entries);
                }
                Mp::Map(mp::Map {
                    order: m.order,
                    extra_flags: 0,
                    entries,
                })
            }
        })
    }

    /// From a stored bin.
    pub fn from_particle(p: &Particle) -> Val {
        aerospike_cdt::from_particle(p.particle, &p.data)
            .map(|v| Val::from_mp(&v))
            .unwrap_or(Val::Nil)
    }

    /// To a bin value (`None` for nil).
    pub fn to_particle(&self) -> Result<Option<Particle>, String> {
        Ok(match self {
            Val::Nil => None,
            Val::Str(s) => Some(Particle {
                particle: particle::STRING,
                data: s.clone(),
            }),
            Val::Bytes(t, b) => Some(Particle {
                particle: *t,
                data: b.clone(),
            }),
            v => aerospike_cdt::to_particle(&v.to_mp()?).map(|p| Particle {
                particle: p.particle,
                data: p.data,
            }),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_particles() {
        let v = Val::list(vec![
            Val::Int(1),
            Val::Str(b"a".to_vec()),
            Val::map(vec![(Val::Str(b"k".to_vec()), Val::Float(1.5))]),
        ]);
        let p = v.to_particle().unwrap().unwrap();
        assert_eq!(p.particle, particle::LIST);
        let back = Val::from_particle(&p);
        assert_eq!(back.to_particle().unwrap().unwrap(), p);
        assert!(Val::Nil.to_particle().unwrap().is_none());
        assert_eq!(
            Val::Int(7).to_particle().unwrap().unwrap(),
            Particle::int(7)
        );
    }

    #[test]
    fn cycles_fail_instead_of_overflowing() {
        let l = Rc::new(RefCell::new(vec![]));
        l.borrow_mut().push(Val::List(l.clone()));
        assert!(Val::List(l.clone()).to_particle().is_err());
        l.borrow_mut().clear();
    }

    #[test]
    fn map_set_and_remove() {
        let mut m = MapData::default();
        m.set(Val::Str(b"a".to_vec()), Val::Int(1));
        m.set(Val::Str(b"a".to_vec()), Val::Int(2));
        assert_eq!(m.entries.len(), 1);
        assert!(matches!(m.get(&Val::Str(b"a".to_vec())), Some(Val::Int(2))));
        m.set(Val::Str(b"a".to_vec()), Val::Nil);
        assert!(m.entries.is_empty());
        m.assign(Val::Str(b"a".to_vec()), Val::Nil);
        assert!(matches!(m.get(&Val::Str(b"a".to_vec())), Some(Val::Nil)));
    }
}
