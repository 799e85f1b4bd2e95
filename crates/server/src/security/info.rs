//! Which info commands need which privilege, and the refusal of an info request.
//!
//! Every info request needs an authenticated connection, as on the Enterprise server. Most
//! commands need nothing more; the ones that change data or configuration need the privilege
//! the server asks for them (truncation scoped to its namespace and set).

use super::roles::Perm;

/// What `cmd` (one line of an info request) needs: a privilege, its namespace and set.
pub fn need(cmd: &str) -> Option<(Perm, &str, &str)> {
    let (name, rest) = match cmd.find([':', '/', ';']) {
        Some(i) => (&cmd[..i], &cmd[i + 1..]),
        None => (cmd, ""),
    };
    let param = |keys: &[&str]| {
        rest.split(';')
            .filter_map(|p| p.split_once('='))
            .find(|(k, _)| keys.contains(k))
            .map_or("", |(_, v)| v)
    };
    let perm = match name {
        "truncate" | "truncate-undo" | "truncate-namespace" | "truncate-namespace-undo" => {
            Perm::Truncate
        }
        "sindex-create" | "sindex-delete" => Perm::SindexAdmin,
        "udf-put" | "udf-remove" => Perm::UdfAdmin,
        "set-config" | "config-set" | "recluster" | "quiesce" | "quiesce-undo" | "log-set"
        | "query-abort" | "scan-abort" | "query-abort-all" | "scan-abort-all" | "jobs" => {
            Perm::SysAdmin
        }
        _ => return None,
    };
    let scoped = perm == Perm::Truncate;
    Some((
        perm,
        if scoped {
            param(&["namespace", "ns"])
        } else {
            ""
        },
        if scoped { param(&["set"]) } else { "" },
    ))
}

/// The reply to an info request refused with `code`: every command answered with the error,
/// one line each, as clients read the answers positionally.
pub fn refusal(body: &[u8], code: u8) -> Vec<u8> {
    let text = String::from_utf8_lossy(body);
    let message = match code {
        crate::result::NOT_AUTHENTICATED => "not authenticated",
        crate::result::QUOTA_EXCEEDED => "quota exceeded",
        _ => "role violation",
    };
    let mut out = String::new();
    for cmd in text.split('\n').filter(|c| !c.is_empty()) {
        out.push_str(&format!("{cmd}\tERROR:{code}:{message}\n"));
    }
    out.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_that_change_things_need_privileges() {
        assert_eq!(
            need("truncate:namespace=test;set=s;lut=0"),
            Some((Perm::Truncate, "test", "s"))
        );
        assert_eq!(
            need("truncate-namespace:namespace=bar"),
            Some((Perm::Truncate, "bar", ""))
        );
        assert_eq!(
            need("sindex-create:ns=test;indexname=i").unwrap().0,
            Perm::SindexAdmin
        );
        assert_eq!(need("udf-put:filename=a.lua").unwrap().0, Perm::UdfAdmin);
        assert_eq!(need("node"), None);
        assert_eq!(need("partition-generation"), None);
        assert_eq!(
            refusal(b"node\nbuild\n", 80),
            b"node\tERROR:80:not authenticated\nbuild\tERROR:80:not authenticated\n"
        );
    }
}
