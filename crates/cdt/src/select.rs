//! Selecting elements of a list or map (by index, rank, value, key, interval, relative rank) and
//! shaping what was selected into the op's result according to its return type.

use std::cmp::Ordering;

use crate::rc;
use crate::value::{compare, List, Map, Value, MAP_KEY_ORDERED, MAP_PRESERVE_ORDER};

pub const RT_NONE: i64 = 0;
pub const RT_INDEX: i64 = 1;
pub const RT_REVERSE_INDEX: i64 = 2;
pub const RT_RANK: i64 = 3;
pub const RT_REVERSE_RANK: i64 = 4;
pub const RT_COUNT: i64 = 5;
pub const RT_KEY: i64 = 6;
pub const RT_VALUE: i64 = 7;
pub const RT_KEY_VALUE: i64 = 8;
pub const RT_EXISTS: i64 = 13;
pub const RT_UNORDERED_MAP: i64 = 16;
pub const RT_ORDERED_MAP: i64 = 17;
pub const RT_INVERTED: i64 = 0x10000;

/// A return type: its base and the INVERTED flag.
#[derive(Debug, Clone, Copy)]
pub struct ReturnType {
    pub base: i64,
    pub inverted: bool,
}

impl ReturnType {
    pub fn parse(raw: i64, is_map: bool) -> Result<Self, u8> {
        let base = raw & !RT_INVERTED;
        let ok = match base {
            RT_NONE | RT_INDEX | RT_REVERSE_INDEX | RT_RANK | RT_REVERSE_RANK | RT_COUNT
            | RT_VALUE | RT_EXISTS => true,
            RT_KEY | RT_KEY_VALUE | RT_UNORDERED_MAP | RT_ORDERED_MAP => is_map,
            _ => false,
        };
        if !ok {
            return Err(rc::PARAMETER);
        }
        Ok(ReturnType {
            base,
            inverted: raw & RT_INVERTED != 0,
        })
    }
}

/// Element views of a container: positions are storage positions; `index` is list position or
/// map key order; `rank` is value order (ties by index).
pub struct View<'a> {
    pub keys: Option<Vec<&'a Value>>,
    pub values: Vec<&'a Value>,
    /// Storage positions in index order.
    pub by_index: Vec<usize>,
    /// Storage positions in rank order.
    pub by_rank: Vec<usize>,
    index_of: Vec<usize>,
    rank_of: Vec<usize>,
}

impl<'a> View<'a> {
    pub fn list(l: &'a List) -> View<'a> {
        let values: Vec<&Value> = l.items.iter().collect();
        let by_index: Vec<usize> = (0..values.len()).collect();
        View::build(None, values, by_index)
    }

    pub fn map(m: &'a Map) -> View<'a> {
        let keys: Vec<&Value> = m.entries.iter().map(|e| &e.0).collect();
        let values: Vec<&Value> = m.entries.iter().map(|e| &e.1).collect();
        let mut by_index: Vec<usize> = (0..keys.len()).collect();
        by_index.sort_by(|&a, &b| compare(keys[a], keys[b]));
        View::build(Some(keys), values, by_index)
    }

    fn build(
        keys: Option<Vec<&'a Value>>,
        values: Vec<&'a Value>,
        by_index: Vec<usize>,
    ) -> View<'a> {
        let n = values.len();
        let mut index_of = vec![0; n];
        for (i, &p) in by_index.iter().enumerate() {
            index_of[p] = i;
        }
        let mut by_rank = by_index.clone();
        by_rank.sort_by(|&a, &b| compare(values[a], values[b]).then(index_of[a].cmp(&index_of[b])));
        let mut rank_of = vec![0; n];
        for (r, &p) in by_rank.iter().enumerate() {
            rank_of[p] = r;
        }
        View {
            keys,
            values,
            by_index,
            by_rank,
            index_of,
            rank_of,
        }
    }

    pub fn len(&self) -> usize {
        self.values.len()
    }

    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// Positions whose value lies in [begin, end) (end `None`: to the top), in rank order.
    pub fn value_interval(&self, begin: &Value, end: Option<&Value>) -> Vec<usize> {
        self.by_rank
            .iter()
            .copied()
            .filter(|&p| in_interval(self.values[p], begin, end))
            .collect()
    }

    /// Positions whose key lies in [begin, end), in key order.
    pub fn key_interval(&self, begin: &Value, end: Option<&Value>) -> Vec<usize> {
        let keys = self.keys.as_ref().expect("map view");
        self.by_index
            .iter()
            .copied()
            .filter(|&p| in_interval(keys[p], begin, end))
            .collect()
    }

    /// Positions whose value equals `v`, in index order.
    pub fn all_by_value(&self, v: &Value) -> Vec<usize> {
        self.by_index
            .iter()
            .copied()
            .filter(|&p| compare(self.values[p], v) == Ordering::Equal)
            .collect()
    }

    /// Positions whose value equals any of `vs`, in index order.
    pub fn by_value_list(&self, vs: &[Value]) -> Vec<usize> {
        self.by_index
            .iter()
            .copied()
            .filter(|&p| {
                vs.iter()
                    .any(|v| compare(self.values[p], v) == Ordering::Equal)
            })
            .collect()
    }

    /// Positions whose key equals any of `ks`, in index order.
    pub fn by_key_list(&self, ks: &[Value]) -> Vec<usize> {
        let keys = self.keys.as_ref().expect("map view");
        self.by_index
            .iter()
            .copied()
            .filter(|&p| ks.iter().any(|k| compare(keys[p], k) == Ordering::Equal))
            .collect()
    }

    /// The rank where `v` would sit (count of elements below it).
    pub fn rank_of_value(&self, v: &Value) -> usize {
        self.by_rank
            .iter()
            .take_while(|&&p| compare(self.values[p], v) == Ordering::Less)
            .count()
    }

    /// Where the elements equal to each of `vs` sit in rank order: (first rank, how many).
    pub fn value_runs(&self, vs: &[Value]) -> Vec<(usize, usize)> {
        let count = |v: &Value| {
            (self.values.iter())
                .filter(|&&x| compare(x, v) == Ordering::Equal)
                .count()
        };
        vs.iter()
            .map(|v| (self.rank_of_value(v), count(v)))
            .collect()
    }

    /// The index where key `k` would sit.
    pub fn index_of_key(&self, k: &Value) -> usize {
        let keys = self.keys.as_ref().expect("map view");
        self.by_index
            .iter()
            .take_while(|&&p| compare(keys[p], k) == Ordering::Less)
            .count()
    }

    /// Complement of a selection, in index order.
    pub fn invert(&self, sel: &[usize]) -> Vec<usize> {
        let mut chosen = vec![false; self.len()];
        for &p in sel {
            chosen[p] = true;
        }
        self.by_index
            .iter()
            .copied()
            .filter(|&p| !chosen[p])
            .collect()
    }

    /// Builds the result of a multi-element selection (inversion already applied by the caller
    /// through [`View::finish`]).
    fn result_multi(&self, rt: ReturnType, sel: &[usize]) -> Option<Value> {
        let n = self.len();
        let ints = |f: &dyn Fn(usize) -> usize| {
            Value::List(List {
                items: sel.iter().map(|&p| Value::Int(f(p) as i64)).collect(),
                ..Default::default()
            })
        };
        // A list's indexes come in index order, whatever order the selection was made in (a
        // rank range, values): the server walks the selected elements by index. Reverse indexes
        // are taken on that walk, so they descend. A map's come in the order the map code put
        // the selection in (the server's walk differs by path: storage order, rank order).
        let by_index = |rev: bool| {
            let mut idx: Vec<usize> = sel.iter().map(|&p| self.index_of[p]).collect();
            if self.keys.is_none() {
                idx.sort_unstable();
            }
            Value::List(List {
                items: idx
                    .into_iter()
                    .map(|i| Value::Int(if rev { n - 1 - i } else { i } as i64))
                    .collect(),
                ..Default::default()
            })
        };
        Some(match rt.base {
            RT_NONE => return None,
            RT_INDEX => by_index(false),
            RT_REVERSE_INDEX => by_index(true),
            RT_RANK => ints(&|p| self.rank_of[p]),
            RT_REVERSE_RANK => ints(&|p| n - 1 - self.rank_of[p]),
            RT_COUNT => Value::Int(sel.len() as i64),
            RT_EXISTS => Value::Bool(!sel.is_empty()),
            RT_VALUE => list_of(sel.iter().map(|&p| self.values[p].clone())),
            RT_KEY => {
                let keys = self.keys.as_ref()?;
                list_of(sel.iter().map(|&p| keys[p].clone()))
            }
            RT_KEY_VALUE | RT_UNORDERED_MAP | RT_ORDERED_MAP => {
                let keys = self.keys.as_ref()?;
                let mut entries: Vec<(Value, Value)> = sel
                    .iter()
                    .map(|&p| (keys[p].clone(), self.values[p].clone()))
                    .collect();
                let order = match rt.base {
                    RT_KEY_VALUE => MAP_PRESERVE_ORDER,
                    RT_ORDERED_MAP => {
                        entries.sort_by(|a, b| compare(&a.0, &b.0));
                        MAP_KEY_ORDERED
                    }
                    _ => 0,
                };
                Value::Map(Map {
                    order,
                    extra_flags: 0,
                    entries,
                })
            }
            _ => return None,
        })
    }

    /// Result of a single-element selection (`None` position: not found).
    fn result_single(&self, rt: ReturnType, pos: Option<usize>) -> Option<Value> {
        let n = self.len() as i64;
        Some(match (rt.base, pos) {
            (RT_NONE, _) => return None,
            (RT_INDEX, Some(p)) => Value::Int(self.index_of[p] as i64),
            (RT_REVERSE_INDEX, Some(p)) => Value::Int(n - 1 - self.index_of[p] as i64),
            (RT_RANK, Some(p)) => Value::Int(self.rank_of[p] as i64),
            (RT_REVERSE_RANK, Some(p)) => Value::Int(n - 1 - self.rank_of[p] as i64),
            (RT_INDEX | RT_REVERSE_INDEX | RT_RANK | RT_REVERSE_RANK, None) => Value::Int(-1),
            (RT_COUNT, p) => Value::Int(p.is_some() as i64),
            (RT_EXISTS, p) => Value::Bool(p.is_some()),
            (RT_VALUE, Some(p)) => self.values[p].clone(),
            (RT_KEY, Some(p)) => self.keys.as_ref()?[p].clone(),
            (RT_KEY_VALUE | RT_UNORDERED_MAP | RT_ORDERED_MAP, p) => {
                return self.result_multi(rt, p.as_slice());
            }
            _ => return None,
        })
    }

    /// Like [`View::finish`] for a selection the server makes as one contiguous run (`span`):
    /// it then answers indexes and ranks as runs of numbers, ascending even when reversed, and
    /// an inverted selection as the runs before and after it (see `result_data_set_index_rank_count`
    /// in the server's cdt.c). `sel` is the run's positions, not inverted.
    pub fn finish_span(
        &self,
        rt: ReturnType,
        sel: Vec<usize>,
        span: Span,
    ) -> Result<(Vec<usize>, Option<Value>), u8> {
        let n = self.len();
        let sel = if rt.inverted { self.invert(&sel) } else { sel };
        let sel = self.walk_inverted(rt, sel);
        let rev = matches!(rt.base, RT_REVERSE_INDEX | RT_REVERSE_RANK);
        let runs = |start: usize, count: usize, inverted: bool| {
            let mut out = Vec::with_capacity(n);
            let mut run = |s: usize, c: usize| {
                let s = if rev { n - s - c } else { s };
                out.extend((s..s + c).map(|i| Value::Int(i as i64)));
            };
            if inverted && count == 0 && matches!(span, Span::Index { .. }) {
                // An inverted empty index range is all of it, one run.
                run(0, n);
            } else if inverted {
                run(0, start);
                run(start + count, n - start - count);
            } else {
                run(start, count);
            }
            list_of(out.into_iter())
        };
        let result = match (span, rt.base) {
            (Span::Index { start, count, .. }, RT_INDEX | RT_REVERSE_INDEX)
            | (
                Span::Index {
                    start,
                    count,
                    ordered: true,
                },
                RT_RANK | RT_REVERSE_RANK,
            )
            | (Span::Rank { start, count }, RT_RANK | RT_REVERSE_RANK) => {
                if sel.is_empty() {
                    list_of(std::iter::empty())
                } else {
                    runs(start, count, rt.inverted)
                }
            }
            // An unordered list's ranks, element by element in index order: equal elements
            // share the rank of the first of them; all of the list is ranks 0..n. A map's, in
            // the order the map code put the selection in, each its own rank.
            (Span::Index { .. }, RT_RANK | RT_REVERSE_RANK) if sel.len() < n => {
                let mut idx: Vec<usize> = sel.to_vec();
                if self.keys.is_none() {
                    idx.sort_unstable_by_key(|&p| self.index_of[p]);
                }
                list_of(idx.into_iter().map(|p| {
                    let r = match self.keys {
                        None => self.rank_of_value(self.values[p]),
                        Some(_) => self.rank_of[p],
                    };
                    Value::Int(if rev { n - r - 1 } else { r } as i64)
                }))
            }
            (Span::Index { .. }, RT_RANK | RT_REVERSE_RANK) => runs(0, n, false),
            // The server tests an inverted run by its own size, not by what is left.
            (Span::Rank { count, .. }, RT_EXISTS) if rt.inverted && !sel.is_empty() => {
                Value::Bool(count == 0)
            }
            _ => {
                let result = self.result_multi(rt, &sel);
                return Ok((sel, result));
            }
        };
        Ok((sel, Some(result)))
    }

    /// Applies inversion and shapes the result. `single`: the op addresses one element.
    /// Returns the positions finally selected (to remove, for remove ops) and the result.
    pub fn finish(
        &self,
        rt: ReturnType,
        sel: Vec<usize>,
        single: bool,
    ) -> Result<(Vec<usize>, Option<Value>), u8> {
        if single {
            if rt.inverted {
                return Err(rc::OP_NOT_APPLICABLE);
            }
            let pos = sel.first().copied();
            return Ok((sel, self.result_single(rt, pos)));
        }
        let sel = if rt.inverted { self.invert(&sel) } else { sel };
        let sel = self.walk_inverted(rt, sel);
        let result = self.result_multi(rt, &sel);
        Ok((sel, result))
    }

    /// The server walks what an inverted selection leaves as a mask over the stored elements:
    /// for a map, in storage order (a list's is its index order already).
    fn walk_inverted(&self, rt: ReturnType, mut sel: Vec<usize>) -> Vec<usize> {
        if rt.inverted && self.keys.is_some() {
            sel.sort_unstable();
        }
        sel
    }
}

/// Indexes or ranks of a selection by a list of items made run by run (an ordered list's
/// values, a key-ordered map's keys; `result_data_set_by_irc` in the server's cdt.c): per item
/// in the order given, an item given twice twice, a reversed run still ascending.
pub fn runs_in_turn(n: usize, rev: bool, runs: &[(usize, usize)]) -> Value {
    list_of(runs.iter().flat_map(|&(s, c)| {
        let s = if rev { n - s - c } else { s };
        (s..s + c).map(|i| Value::Int(i as i64))
    }))
}

/// Indexes or ranks of a selection by a list of items, as the server answers them: `runs` is,
/// per item in the order given, where its matches start (index or rank) and how many there are.
/// Plain: each item's matches in turn, one by one (reversed one by one), an item given twice
/// once, where it is given last. Inverted: the gaps between the items' runs, in value order,
/// each gap a run (reversed as a run).
pub fn item_runs(n: usize, rev: bool, inverted: bool, mut runs: Vec<(usize, usize)>) -> Value {
    let mut out: Vec<usize> = Vec::new();
    if !inverted {
        // An item given twice selects its matches once, where it is given last (the server
        // counts the matches to the last of equal items in its sorted copy of the list).
        for (at, &(s, c)) in runs.iter().enumerate() {
            if runs[at + 1..].contains(&(s, c)) {
                continue;
            }
            out.extend((s..s + c).map(|i| if rev { n - 1 - i } else { i }));
        }
    } else {
        runs.sort_unstable();
        let mut prev = 0;
        let mut gap = |s: usize, c: usize| {
            let s = if rev { n - s - c } else { s };
            out.extend(s..s + c);
        };
        for (s, c) in runs {
            if c > 0 && s >= prev {
                gap(prev, s - prev);
                prev = s + c;
            }
        }
        gap(prev, n - prev);
    }
    list_of(out.into_iter().map(|i| Value::Int(i as i64)))
}

/// A selection the server makes as one contiguous run, which shapes how it answers indexes and
/// ranks (see [`View::finish_span`]).
#[derive(Debug, Clone, Copy)]
pub enum Span {
    /// `count` elements from index `start`; in an ordered list, ranks too.
    Index {
        start: usize,
        count: usize,
        ordered: bool,
    },
    /// `count` elements from rank `start` of an unordered list.
    Rank { start: usize, count: usize },
}

fn list_of(it: impl Iterator<Item = Value>) -> Value {
    Value::List(List {
        items: it.collect(),
        ..Default::default()
    })
}

fn in_interval(v: &Value, begin: &Value, end: Option<&Value>) -> bool {
    compare(v, begin) != Ordering::Less && end.is_none_or(|e| compare(v, e) == Ordering::Less)
}

/// A count as the server reads it: unsigned, so a negative count is a huge one (to the end).
fn count_of(count: Option<i64>) -> u64 {
    count.map(|c| c as u64).unwrap_or(u64::MAX)
}

/// Resolves a (possibly negative) index and optional count against `n` elements, clamping as
/// the server does for range ops. Returns the start and the number of elements.
pub fn index_range(index: i64, count: Option<i64>, n: usize) -> (usize, usize) {
    let n64 = n as i64;
    let count = count_of(count);
    if index >= n64 {
        return (n, 0);
    }
    let mut idx = index;
    if idx < 0 {
        idx += n64;
    }
    if idx < 0 {
        let back = (-idx) as u64;
        let c = if back < count {
            (count - back).min(n as u64)
        } else {
            0
        };
        return (0, c as usize);
    }
    let idx = idx as usize;
    let c = count.min((n - idx) as u64) as usize;
    (idx, c)
}

/// Resolves a single (possibly negative) index; out of range → `None`.
pub fn single_index(index: i64, n: usize) -> Option<usize> {
    let n64 = n as i64;
    let i = if index < 0 { index + n64 } else { index };
    (0..n64).contains(&i).then_some(i as usize)
}

/// A relative range: `base` is where the reference sits, `offset` and `count` as sent.
pub fn relative_range(base: usize, offset: i64, count: Option<i64>, n: usize) -> (usize, usize) {
    let mut start = base as i64 + offset;
    let mut count = count_of(count);
    if start < 0 {
        let back = (-start) as u64;
        count = count.saturating_sub(back);
        start = 0;
    }
    let start = (start as usize).min(n);
    let c = count.min((n - start) as u64) as usize;
    (start, c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_ranges_clamp_like_the_server() {
        assert_eq!(index_range(1, Some(2), 5), (1, 2));
        assert_eq!(index_range(-2, None, 5), (3, 2));
        assert_eq!(index_range(-7, Some(3), 5), (0, 1));
        assert_eq!(index_range(7, Some(3), 5), (5, 0));
        assert_eq!(index_range(3, Some(10), 5), (3, 2));
        assert_eq!(single_index(-1, 3), Some(2));
        assert_eq!(single_index(3, 3), None);
        assert_eq!(relative_range(2, -3, Some(4), 5), (0, 3));
        // A negative count is read unsigned by the server: to the end.
        assert_eq!(index_range(1, Some(-1), 5), (1, 4));
        assert_eq!(relative_range(2, -1, Some(-3), 5), (1, 4));
    }

    #[test]
    fn results_follow_return_types() {
        let l = List {
            items: vec![Value::Int(3), Value::Int(1), Value::Int(2)],
            ..Default::default()
        };
        let v = View::list(&l);
        let rt = ReturnType::parse(RT_RANK, false).unwrap();
        let (_, r) = v.finish(rt, vec![0, 1], false).unwrap();
        let Some(Value::List(r)) = r else { panic!() };
        assert_eq!(
            r.items
                .iter()
                .map(|x| x.as_int().unwrap())
                .collect::<Vec<_>>(),
            vec![2, 0]
        );
        let inv = ReturnType::parse(RT_VALUE | RT_INVERTED, false).unwrap();
        let (sel, _) = v.finish(inv, vec![0], false).unwrap();
        assert_eq!(sel, vec![1, 2]);
        assert!(v.finish(inv, vec![0], true).is_err());
    }
}
