//! The sindex info commands on the data side. The catalog checks and records the text
//! definition; here a new definition is checked further (context, expression), registered and
//! built from the records already stored before the command answers — so `load_pct=100` from
//! the start — and `sindex-stat` reports real entry counts.

use std::sync::Arc;

use crate::sindex::def::Def;
use crate::sindex::SIndex;
use crate::State;

/// `k=v;k=v` parameters with lower-case keys.
fn param<'a>(rest: &'a str, names: &[&str]) -> Option<&'a str> {
    rest.split(';')
        .filter_map(|p| p.split_once('='))
        .find(|(k, _)| names.iter().any(|n| k.eq_ignore_ascii_case(n)))
        .map(|(_, v)| v)
}

/// `sindex-create:…`
pub fn create(state: &State, rest: &str) -> String {
    let answer = state
        .catalog
        .sindex_create(rest, |ns| state.store.namespace(ns.as_bytes()).is_some());
    if answer != "ok" {
        return answer;
    }
    let (Some(ns_name), Some(name)) = (
        param(rest, &["ns", "namespace"]),
        param(rest, &["indexname"]),
    ) else {
        return answer;
    };
    let (Some(ns), Some(cat)) = (
        state.store.namespace(ns_name.as_bytes()),
        state.catalog.index(ns_name, name),
    ) else {
        return answer;
    };
    if ns.sindex.by_name(name).is_some() {
        // The same definition again.
        return answer;
    }
    let def = match Def::from_catalog(&cat) {
        Ok(Some(def)) => def,
        Ok(None) => return answer,
        Err(e) => {
            state
                .catalog
                .sindex_delete(&format!("ns={ns_name};indexname={name}"));
            return e;
        }
    };
    // A new name for an existing definition renames that index, as the real server does.
    if let Some(old) = ns.sindex.find(|ix| ix.def.same_as(&def)) {
        ns.sindex.remove(&old.def.name);
        state
            .catalog
            .sindex_delete(&format!("ns={ns_name};indexname={}", old.def.name));
    }
    let ix = Arc::new(SIndex::new(def));
    if ns.sindex.add_if_absent(ix.clone()) {
        ns.build_index(&ix);
    }
    answer
}

/// `sindex-delete:ns=…;indexname=…`
pub fn delete(state: &State, rest: &str) -> String {
    let answer = state.catalog.sindex_delete(rest);
    if let (Some(ns), Some(name)) = (
        param(rest, &["ns", "namespace"]).and_then(|n| state.store.namespace(n.as_bytes())),
        param(rest, &["indexname"]),
    ) {
        ns.sindex.remove(name);
    }
    answer
}

/// `sindex/<ns>/<name>` and `sindex-stat:ns=…;indexname=…`
pub fn stat(state: &State, ns_name: &str, name: &str) -> String {
    if state.catalog.index(ns_name, name).is_none() {
        return "ERROR:201:no index".into();
    }
    let entries = state
        .store
        .namespace(ns_name.as_bytes())
        .and_then(|ns| ns.sindex.by_name(name))
        .map_or(0, |ix| ix.entries());
    format!(
        "entries={entries};used_bytes={};entries_per_bval=0;entries_per_rec={};load_pct=100;load_time=0;stat_gc_recs=0",
        entries * 40,
        u64::from(entries > 0)
    )
}
