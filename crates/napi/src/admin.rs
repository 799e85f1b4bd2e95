//! User and role administration: the security admin commands of the `aerospike` crate
//! (create/drop user, passwords, roles, privileges, allowlists, quotas, queries).
//!
//! Thin wrappers: the facade (`src/client_admin.ts`) checks arguments and shapes results into
//! `admin.User` / `admin.Role` / `admin.Privilege`. A server without security answers every
//! admin command with result 52 (security not enabled), which reaches JavaScript as that code.

use aerospike::{AdminPolicy, Privilege, PrivilegeCode};
use napi_derive::napi;

use crate::client::NativeClient;
use crate::error::{code, from_aerospike, guarded, js_error};

/// A privilege: the official numeric code, and its namespace and set scope ("" = all).
#[napi(object)]
pub struct NativePrivilege {
    pub code: u32,
    pub namespace: String,
    pub set: String,
}

/// A user as `queryUsers` reports it.
#[napi(object)]
pub struct NativeUser {
    pub name: String,
    pub roles: Vec<String>,
    pub read_info: Vec<u32>,
    pub write_info: Vec<u32>,
    pub conns_in_use: u32,
}

/// A role as `queryRoles` reports it.
#[napi(object)]
pub struct NativeRole {
    pub name: String,
    pub privileges: Vec<NativePrivilege>,
    pub allowlist: Vec<String>,
    pub read_quota: u32,
    pub write_quota: u32,
}

fn admin_policy(timeout_ms: Option<u32>) -> AdminPolicy {
    let mut p = AdminPolicy::default();
    if let Some(t) = timeout_ms {
        p.timeout = t;
    }
    p
}

fn to_privileges(list: &[NativePrivilege]) -> napi::Result<Vec<Privilege>> {
    list.iter()
        .map(|p| {
            let c = u8::try_from(p.code).map_err(|_| {
                js_error(
                    code::ERR_PARAM,
                    false,
                    format!("invalid privilege code {}", p.code),
                )
            })?;
            let code = PrivilegeCode::try_from(c)
                .map_err(|e| js_error(code::ERR_PARAM, false, e.to_string()))?;
            let scope = |s: &str| (!s.is_empty()).then(|| s.to_owned());
            Ok(Privilege::new(code, scope(&p.namespace), scope(&p.set)))
        })
        .collect()
}

fn from_privilege(p: &Privilege) -> NativePrivilege {
    NativePrivilege {
        code: u8::from(&p.code) as u32,
        namespace: p.namespace.clone().unwrap_or_default(),
        set: p.set_name.clone().unwrap_or_default(),
    }
}

fn strs(v: &[String]) -> Vec<&str> {
    v.iter().map(|s| s.as_str()).collect()
}

macro_rules! admin_call {
    ($self:ident, |$client:ident, $policy:ident| $body:expr, $timeout:expr) => {{
        let $client = $self.client_now()?;
        let $policy = admin_policy($timeout);
        guarded(async move { $body.await.map_err(|e| from_aerospike(&e)) }).await
    }};
}

#[napi]
impl NativeClient {
    /// Creates a user; without a password, a PKI user (authenticated by its certificate).
    #[napi]
    pub async fn admin_create_user(
        &self,
        user: String,
        password: Option<String>,
        roles: Vec<String>,
        timeout_ms: Option<u32>,
    ) -> napi::Result<()> {
        admin_call!(
            self,
            |c, p| async {
                match &password {
                    Some(pw) => c.create_user(&p, &user, pw, &strs(&roles)).await,
                    None => c.create_pki_user(&p, &user, &strs(&roles)).await,
                }
            },
            timeout_ms
        )
    }

    /// Drops a user.
    #[napi]
    pub async fn admin_drop_user(&self, user: String, timeout_ms: Option<u32>) -> napi::Result<()> {
        admin_call!(self, |c, p| c.drop_user(&p, &user), timeout_ms)
    }

    /// Sets a user's password (changes it with the old credentials when `user` is the one
    /// this client logged in as).
    #[napi]
    pub async fn admin_change_password(
        &self,
        user: String,
        password: String,
        timeout_ms: Option<u32>,
    ) -> napi::Result<()> {
        admin_call!(
            self,
            |c, p| c.change_password(&p, &user, &password),
            timeout_ms
        )
    }

    /// Adds roles to a user.
    #[napi]
    pub async fn admin_grant_roles(
        &self,
        user: String,
        roles: Vec<String>,
        timeout_ms: Option<u32>,
    ) -> napi::Result<()> {
        admin_call!(
            self,
            |c, p| async { c.grant_roles(&p, &user, &strs(&roles)).await },
            timeout_ms
        )
    }

    /// Removes roles from a user.
    #[napi]
    pub async fn admin_revoke_roles(
        &self,
        user: String,
        roles: Vec<String>,
        timeout_ms: Option<u32>,
    ) -> napi::Result<()> {
        admin_call!(
            self,
            |c, p| async { c.revoke_roles(&p, &user, &strs(&roles)).await },
            timeout_ms
        )
    }

    /// One user (`user` given) or all users.
    #[napi]
    pub async fn admin_query_users(
        &self,
        user: Option<String>,
        timeout_ms: Option<u32>,
    ) -> napi::Result<Vec<NativeUser>> {
        let users = admin_call!(self, |c, p| c.query_users(&p, user.as_deref()), timeout_ms)?;
        Ok(users
            .into_iter()
            .map(|u| NativeUser {
                name: u.user,
                roles: u.roles,
                read_info: u.read_info,
                write_info: u.write_info,
                conns_in_use: u.conns_in_use,
            })
            .collect())
    }

    /// One role (`role` given) or all roles.
    #[napi]
    pub async fn admin_query_roles(
        &self,
        role: Option<String>,
        timeout_ms: Option<u32>,
    ) -> napi::Result<Vec<NativeRole>> {
        let roles = admin_call!(self, |c, p| c.query_roles(&p, role.as_deref()), timeout_ms)?;
        Ok(roles
            .into_iter()
            .map(|r| NativeRole {
                privileges: r.privileges.iter().map(from_privilege).collect(),
                name: r.name,
                allowlist: r.allowlist,
                read_quota: r.read_quota,
                write_quota: r.write_quota,
            })
            .collect())
    }

    /// Creates a role with privileges, an address allowlist and read/write quotas (0 = none).
    #[napi]
    pub async fn admin_create_role(
        &self,
        role: String,
        privileges: Vec<NativePrivilege>,
        allowlist: Vec<String>,
        read_quota: u32,
        write_quota: u32,
        timeout_ms: Option<u32>,
    ) -> napi::Result<()> {
        let privileges = to_privileges(&privileges)?;
        admin_call!(
            self,
            |c, p| async {
                c.create_role(
                    &p,
                    &role,
                    &privileges,
                    &strs(&allowlist),
                    read_quota,
                    write_quota,
                )
                .await
            },
            timeout_ms
        )
    }

    /// Drops a role.
    #[napi]
    pub async fn admin_drop_role(&self, role: String, timeout_ms: Option<u32>) -> napi::Result<()> {
        admin_call!(self, |c, p| c.drop_role(&p, &role), timeout_ms)
    }

    /// Adds privileges to a role.
    #[napi]
    pub async fn admin_grant_privileges(
        &self,
        role: String,
        privileges: Vec<NativePrivilege>,
        timeout_ms: Option<u32>,
    ) -> napi::Result<()> {
        let privileges = to_privileges(&privileges)?;
        admin_call!(
            self,
            |c, p| c.grant_privileges(&p, &role, &privileges),
            timeout_ms
        )
    }

    /// Removes privileges from a role.
    #[napi]
    pub async fn admin_revoke_privileges(
        &self,
        role: String,
        privileges: Vec<NativePrivilege>,
        timeout_ms: Option<u32>,
    ) -> napi::Result<()> {
        let privileges = to_privileges(&privileges)?;
        admin_call!(
            self,
            |c, p| c.revoke_privileges(&p, &role, &privileges),
            timeout_ms
        )
    }

    /// Replaces a role's address allowlist (empty: no restriction).
    #[napi]
    pub async fn admin_set_allowlist(
        &self,
        role: String,
        allowlist: Vec<String>,
        timeout_ms: Option<u32>,
    ) -> napi::Result<()> {
        admin_call!(
            self,
            |c, p| async { c.set_allowlist(&p, &role, &strs(&allowlist)).await },
            timeout_ms
        )
    }

    /// Sets a role's read and write quotas (records per second, 0 = none).
    #[napi]
    pub async fn admin_set_quotas(
        &self,
        role: String,
        read_quota: u32,
        write_quota: u32,
        timeout_ms: Option<u32>,
    ) -> napi::Result<()> {
        admin_call!(
            self,
            |c, p| c.set_quotas(&p, &role, read_quota, write_quota),
            timeout_ms
        )
    }
}
