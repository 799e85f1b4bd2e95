//! Server-side catalogs kept by info commands: registered UDF modules and secondary-index
//! definitions. (Index-backed queries and UDF execution build on these.)

use std::collections::BTreeMap;
use std::sync::Mutex;

use base64::Engine;

/// A registered UDF module.
#[derive(Debug, Clone)]
pub struct Module {
    pub content: Vec<u8>,
    pub hash: String,
}

/// A secondary-index definition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Index {
    pub ns: String,
    pub set: String,
    pub name: String,
    pub bin: String,
    /// numeric, string, blob or geo2dsphere.
    pub kind: String,
    /// default, list, mapkeys or mapvalues.
    pub collection: String,
    pub context: String,
    pub exp: String,
}

/// UDF modules and indexes.
#[derive(Default)]
pub struct Catalog {
    modules: Mutex<BTreeMap<String, Module>>,
    indexes: Mutex<BTreeMap<(String, String), Index>>,
}

fn params(rest: &str) -> Vec<(String, String)> {
    rest.split(';')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (k.to_ascii_lowercase(), v.to_string())
        })
        .collect()
}

fn get<'a>(ps: &'a [(String, String)], names: &[&str]) -> Option<&'a str> {
    ps.iter()
        .find(|(k, _)| names.contains(&k.as_str()))
        .map(|(_, v)| v.as_str())
}

impl Catalog {
    /// `udf-put:filename=…;content=<b64>;content-len=…;udf-type=LUA;`
    pub fn udf_put(&self, rest: &str) -> String {
        let ps = params(rest);
        let (Some(name), Some(content)) = (get(&ps, &["filename"]), get(&ps, &["content"])) else {
            return "error=invalid_request".into();
        };
        let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(content) else {
            return "error=invalid_content".into();
        };
        let hash = format!("{:x}", <sha1::Sha1 as sha1::Digest>::digest(&bytes));
        self.modules
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(
                name.to_string(),
                Module {
                    content: bytes,
                    hash,
                },
            );
        "ok".into()
    }

    /// `udf-list`: `filename=…,hash=…,type=LUA;` per module.
    pub fn udf_list(&self) -> String {
        self.modules
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .map(|(name, m)| format!("filename={name},hash={},type=LUA;", m.hash))
            .collect()
    }

    /// `udf-get:filename=…;`
    pub fn udf_get(&self, rest: &str) -> String {
        let ps = params(rest);
        let name = get(&ps, &["filename"]).unwrap_or("");
        match self
            .modules
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(name)
        {
            Some(m) => format!(
                "type=LUA;content={}",
                base64::engine::general_purpose::STANDARD.encode(&m.content)
            ),
            None => "error=not_found".into(),
        }
    }

    /// `udf-remove:filename=…;`
    pub fn udf_remove(&self, rest: &str) -> String {
        let ps = params(rest);
        if let Some(name) = get(&ps, &["filename"]) {
            self.modules
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .remove(name);
        }
        "ok".into()
    }

    /// A registered module (by file name, e.g. `udf.lua`).
    pub fn module(&self, name: &str) -> Option<Module> {
        self.modules
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(name)
            .cloned()
    }

    /// Whether a module is registered.
    pub fn has_module(&self, name: &str) -> bool {
        self.modules
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .contains_key(name)
    }

    /// `sindex-create:…` in the old (`ns=…;indexdata=bin,TYPE`) or new (`namespace=…;bin=…;type=…`) syntax.
    pub fn sindex_create(&self, rest: &str, namespace_known: impl Fn(&str) -> bool) -> String {
        let ps = params(rest);
        let Some(ns) = get(&ps, &["ns", "namespace"]) else {
            return "ERROR:4:missing namespace".into();
        };
        if !namespace_known(ns) {
            // A real CE 8.0 server answers `ok` for a namespace it does not have (the definition
            // goes to its system metadata, for a namespace that may come later): nothing to
            // index here, and nothing listed.
            return "ok".into();
        }
        let Some(name) = get(&ps, &["indexname"]).filter(|n| !n.is_empty()) else {
            return "ERROR:4:missing indexname".into();
        };
        if name.len() > 255 {
            return "ERROR:205:index name too long".into();
        }
        let (bin, kind) = match (
            get(&ps, &["indexdata"]),
            get(&ps, &["bin"]),
            get(&ps, &["type"]),
        ) {
            (Some(data), None, None) => match data.split_once(',') {
                Some((b, t)) => (b.to_string(), t.to_ascii_lowercase()),
                None => return "ERROR:4:bad indexdata".into(),
            },
            (None, bin, Some(t)) => (bin.unwrap_or("").to_string(), t.to_ascii_lowercase()),
            _ => return "ERROR:4:exactly one of indexdata and type is required".into(),
        };
        let kind = if kind == "integer" {
            "numeric".to_string()
        } else {
            kind
        };
        if !matches!(kind.as_str(), "numeric" | "string" | "blob" | "geo2dsphere") {
            return format!("ERROR:4:bad index type {kind}");
        }
        let collection = get(&ps, &["indextype"])
            .unwrap_or("default")
            .to_ascii_lowercase();
        if !matches!(
            collection.as_str(),
            "default" | "list" | "mapkeys" | "mapvalues" | "set"
        ) {
            return format!("ERROR:4:bad indextype {collection}");
        }
        let def = Index {
            ns: ns.into(),
            set: get(&ps, &["set"]).unwrap_or("").into(),
            name: name.into(),
            bin,
            kind,
            collection,
            context: get(&ps, &["context"]).unwrap_or("").into(),
            exp: get(&ps, &["exp"]).unwrap_or("").into(),
        };
        let mut idx = self.indexes.lock().unwrap_or_else(|e| e.into_inner());
        let key = (def.ns.clone(), def.name.clone());
        match idx.get(&key) {
            Some(existing) if *existing == def => "ok".into(),
            Some(_) => format!("ERROR:200:'{name}' already exists with different definition"),
            None => {
                idx.insert(key, def);
                "ok".into()
            }
        }
    }

    /// `sindex-delete:ns=…;indexname=…`
    pub fn sindex_delete(&self, rest: &str) -> String {
        let ps = params(rest);
        if let (Some(ns), Some(name)) = (get(&ps, &["ns", "namespace"]), get(&ps, &["indexname"])) {
            self.indexes
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .remove(&(ns.to_string(), name.to_string()));
        }
        "ok".into()
    }

    /// `sindex-list[:ns=…]` / `sindex[/ns]`.
    pub fn sindex_list(&self, ns: Option<&str>) -> String {
        self.indexes
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .values()
            .filter(|i| ns.is_none_or(|n| n == i.ns))
            .map(|i| {
                format!(
                    "ns={}:indexname={}:set={}:bin={}:type={}:indextype={}:context={}:exp={}:state=RW",
                    i.ns,
                    i.name,
                    if i.set.is_empty() { "NULL" } else { &i.set },
                    i.bin,
                    i.kind,
                    i.collection,
                    if i.context.is_empty() { "null" } else { &i.context },
                    if i.exp.is_empty() { "null" } else { &i.exp }
                )
            })
            .collect::<Vec<_>>()
            .join(";")
    }

    /// The index named `name` in `ns`.
    pub fn index(&self, ns: &str, name: &str) -> Option<Index> {
        self.indexes
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&(ns.to_string(), name.to_string()))
            .cloned()
    }

    /// `sindex/<ns>/<name>` / `sindex-stat:ns=…;indexname=…`
    pub fn sindex_stat(&self, ns: &str, name: &str) -> String {
        match self.index(ns, name) {
            Some(_) => "entries=0;used_bytes=0;entries_per_bval=0;entries_per_rec=0;load_pct=100;load_time=0;stat_gc_recs=0".into(),
            None => "ERROR:201:no index".into(),
        }
    }

    /// All index definitions of a namespace.
    pub fn indexes_of(&self, ns: &str) -> Vec<Index> {
        self.indexes
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .values()
            .filter(|i| i.ns == ns)
            .cloned()
            .collect()
    }

    /// `sindex-exists:ns=…;indexname=…`
    pub fn sindex_exists(&self, rest: &str) -> String {
        let ps = params(rest);
        match (get(&ps, &["ns", "namespace"]), get(&ps, &["indexname"])) {
            (Some(ns), Some(name)) => self.index(ns, name).is_some().to_string(),
            _ => "ERROR:4:ns and indexname required".into(),
        }
    }
}

#[cfg(test)]
mod tests {
    //! The `hash=` that `udf-list` reports is the SHA-1 of the module as uploaded, in lowercase hex:
    //! clients compare it with the digest of their own copy to skip re-registering.

    use super::Catalog;
    use base64::Engine;
    fn listed_hash(content: &[u8]) -> String {
        let catalog = Catalog::default();
        let b64 = base64::engine::general_purpose::STANDARD.encode(content);
        let put = format!(
            "filename=m.lua;content={b64};content-len={};udf-type=LUA;",
            content.len()
        );
        assert_eq!(catalog.udf_put(&put), "ok");
        let list = catalog.udf_list();
        let rest = list.strip_prefix("filename=m.lua,hash=").expect(&list);
        rest.strip_suffix(",type=LUA;").expect(&list).to_string()
    }

    #[test]
    fn udf_list_hash_is_the_sha1_of_the_module() {
        assert_eq!(listed_hash(b""), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
        assert_eq!(
            listed_hash(b"abc"),
            "a9993e364706816aba3e25717850c26c9cd0d89d"
        );
        assert_eq!(
            listed_hash(&[b'a'; 1000]),
            "291e9a6c66994949b57ba5e650361e98fc36b1ba"
        );
    }
}
