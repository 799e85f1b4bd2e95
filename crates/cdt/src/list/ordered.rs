//! What an ordered list answers for a selection by a list of values: the real server finds each
//! value's run of equal elements in turn (`packed_list_get_remove_all_by_value_list_ordered`)
//! and answers per value given, in that order, a value given twice twice.

use crate::select::{runs_in_turn, RT_INDEX, RT_RANK, RT_REVERSE_INDEX, RT_REVERSE_RANK, RT_VALUE};
use crate::value::{List, Value};

/// The result for return type `base` (not inverted), when it is one answered run by run:
/// indexes and ranks (the same in an ordered list) as runs, a reversed run still ascending;
/// values as found. `runs`: per value given, where its equal elements start and how many.
pub fn by_value_runs(list: &List, base: i64, runs: &[(usize, usize)]) -> Option<Value> {
    match base {
        RT_INDEX | RT_RANK | RT_REVERSE_INDEX | RT_REVERSE_RANK => {
            let rev = matches!(base, RT_REVERSE_INDEX | RT_REVERSE_RANK);
            Some(runs_in_turn(list.items.len(), rev, runs))
        }
        RT_VALUE => Some(Value::List(List {
            items: (runs.iter())
                .flat_map(|&(s, c)| list.items[s..s + c].iter().cloned())
                .collect(),
            ..Default::default()
        })),
        _ => None,
    }
}
