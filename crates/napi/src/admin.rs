//! User and role administration: the security admin commands of the `aerospike` crate
//! (create/drop user, passwords, roles, privileges, allowlists, quotas, queries).
//!
//! Thin wrappers: the facade (`src/client_admin.ts`) checks arguments and shapes results into
//! `admin.User` / `admin.Role` / `admin.Privilege`. A server without security answers every
//! admin command with result 52 (security not enabled), which reaches JavaScript as that code.

use std::future::Future;
use std::sync::Arc;

use aerospike::{AdminPolicy, Client, Privilege, PrivilegeCode};
use napi::bindgen_prelude::{PromiseRaw, ToNapiValue};
use napi::Env;
use napi_derive::napi;

use crate::client::NativeClient;
use crate::error::{code, js_error, Result};

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

fn to_privileges(list: &[NativePrivilege]) -> Result<Vec<Privilege>> {
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

/// What the crate's `query_users` reports, as [`NativeUser`]s.
fn to_users(users: Vec<aerospike::User>) -> Vec<NativeUser> {
    users
        .into_iter()
        .map(|u| NativeUser {
            name: u.user,
            roles: u.roles,
            read_info: u.read_info,
            write_info: u.write_info,
            conns_in_use: u.conns_in_use,
        })
        .collect()
}

/// What the crate's `query_roles` reports, as [`NativeRole`]s.
fn to_roles(roles: Vec<aerospike::Role>) -> Vec<NativeRole> {
    roles
        .into_iter()
        .map(|r| NativeRole {
            privileges: r.privileges.iter().map(from_privilege).collect(),
            name: r.name,
            allowlist: r.allowlist,
            read_quota: r.read_quota,
            write_quota: r.write_quota,
        })
        .collect()
}

#[napi]
impl NativeClient {
    /// Creates a user; without a password, a PKI user (authenticated by its certificate).
    #[napi]
    pub fn admin_create_user<'env>(
        &self,
        env: &'env Env,
        user: String,
        password: Option<String>,
        roles: Vec<String>,
        timeout_ms: Option<u32>,
    ) -> napi::Result<PromiseRaw<'env, ()>> {
        self.admin(env, timeout_ms, move |c, p| async move {
            match &password {
                Some(pw) => c.create_user(&p, &user, pw, &strs(&roles)).await,
                None => c.create_pki_user(&p, &user, &strs(&roles)).await,
            }
        })
    }

    /// Drops a user.
    #[napi]
    pub fn admin_drop_user<'env>(
        &self,
        env: &'env Env,
        user: String,
        timeout_ms: Option<u32>,
    ) -> napi::Result<PromiseRaw<'env, ()>> {
        self.admin(env, timeout_ms, move |c, p| async move {
            c.drop_user(&p, &user).await
        })
    }

    /// Sets a user's password (changes it with the old credentials when `user` is the one
    /// this client logged in as).
    #[napi]
    pub fn admin_change_password<'env>(
        &self,
        env: &'env Env,
        user: String,
        password: String,
        timeout_ms: Option<u32>,
    ) -> napi::Result<PromiseRaw<'env, ()>> {
        self.admin(env, timeout_ms, move |c, p| async move {
            c.change_password(&p, &user, &password).await
        })
    }

    /// Adds roles to a user.
    #[napi]
    pub fn admin_grant_roles<'env>(
        &self,
        env: &'env Env,
        user: String,
        roles: Vec<String>,
        timeout_ms: Option<u32>,
    ) -> napi::Result<PromiseRaw<'env, ()>> {
        self.change_roles(env, true, user, roles, timeout_ms)
    }

    /// Removes roles from a user.
    #[napi]
    pub fn admin_revoke_roles<'env>(
        &self,
        env: &'env Env,
        user: String,
        roles: Vec<String>,
        timeout_ms: Option<u32>,
    ) -> napi::Result<PromiseRaw<'env, ()>> {
        self.change_roles(env, false, user, roles, timeout_ms)
    }

    /// One user (`user` given) or all users.
    #[napi]
    pub fn admin_query_users<'env>(
        &self,
        env: &'env Env,
        user: Option<String>,
        timeout_ms: Option<u32>,
    ) -> napi::Result<PromiseRaw<'env, Vec<NativeUser>>> {
        self.admin(env, timeout_ms, move |c, p| async move {
            c.query_users(&p, user.as_deref()).await.map(to_users)
        })
    }

    /// One role (`role` given) or all roles.
    #[napi]
    pub fn admin_query_roles<'env>(
        &self,
        env: &'env Env,
        role: Option<String>,
        timeout_ms: Option<u32>,
    ) -> napi::Result<PromiseRaw<'env, Vec<NativeRole>>> {
        self.admin(env, timeout_ms, move |c, p| async move {
            c.query_roles(&p, role.as_deref()).await.map(to_roles)
        })
    }

    /// Creates a role with privileges, an address allowlist and read/write quotas (0 = none).
    #[napi]
    #[allow(clippy::too_many_arguments)]
    pub fn admin_create_role<'env>(
        &self,
        env: &'env Env,
        role: String,
        privileges: Vec<NativePrivilege>,
        allowlist: Vec<String>,
        read_quota: u32,
        write_quota: u32,
        timeout_ms: Option<u32>,
    ) -> napi::Result<PromiseRaw<'env, ()>> {
        let privileges = to_privileges(&privileges);
        self.call(env, move |c| async move {
            let (p, privileges) = (admin_policy(timeout_ms), privileges?);
            let allowlist = strs(&allowlist);
            Ok(
                c.create_role(&p, &role, &privileges, &allowlist, read_quota, write_quota)
                    .await?,
            )
        })
    }

    /// Drops a role.
    #[napi]
    pub fn admin_drop_role<'env>(
        &self,
        env: &'env Env,
        role: String,
        timeout_ms: Option<u32>,
    ) -> napi::Result<PromiseRaw<'env, ()>> {
        self.admin(env, timeout_ms, move |c, p| async move {
            c.drop_role(&p, &role).await
        })
    }

    /// Adds privileges to a role.
    #[napi]
    pub fn admin_grant_privileges<'env>(
        &self,
        env: &'env Env,
        role: String,
        privileges: Vec<NativePrivilege>,
        timeout_ms: Option<u32>,
    ) -> napi::Result<PromiseRaw<'env, ()>> {
        self.change_privileges(env, true, role, &privileges, timeout_ms)
    }

    /// Removes privileges from a role.
    #[napi]
    pub fn admin_revoke_privileges<'env>(
        &self,
        env: &'env Env,
        role: String,
        privileges: Vec<NativePrivilege>,
        timeout_ms: Option<u32>,
    ) -> napi::Result<PromiseRaw<'env, ()>> {
        self.change_privileges(env, false, role, &privileges, timeout_ms)
    }

    /// Replaces a role's address allowlist (empty: no restriction).
    #[napi]
    pub fn admin_set_allowlist<'env>(
        &self,
        env: &'env Env,
        role: String,
        allowlist: Vec<String>,
        timeout_ms: Option<u32>,
    ) -> napi::Result<PromiseRaw<'env, ()>> {
        self.admin(env, timeout_ms, move |c, p| async move {
            c.set_allowlist(&p, &role, &strs(&allowlist)).await
        })
    }

    /// Sets a role's read and write quotas (records per second, 0 = none).
    #[napi]
    pub fn admin_set_quotas<'env>(
        &self,
        env: &'env Env,
        role: String,
        read_quota: u32,
        write_quota: u32,
        timeout_ms: Option<u32>,
    ) -> napi::Result<PromiseRaw<'env, ()>> {
        self.admin(env, timeout_ms, move |c, p| async move {
            c.set_quotas(&p, &role, read_quota, write_quota).await
        })
    }
}

impl NativeClient {
    /// A promise for the admin command `f` makes of the connected client and the admin policy
    /// of `timeout_ms`.
    fn admin<'env, T, F>(
        &self,
        env: &'env Env,
        timeout_ms: Option<u32>,
        f: impl FnOnce(Arc<Client>, AdminPolicy) -> F,
    ) -> napi::Result<PromiseRaw<'env, T>>
    where
        T: ToNapiValue + Send + 'static,
        F: Future<Output = aerospike::Result<T>> + Send + 'static,
    {
        let policy = admin_policy(timeout_ms);
        self.call(env, move |c| {
            let fut = f(c, policy);
            async move { Ok(fut.await?) }
        })
    }

    /// Grants (`grant`) or revokes roles of a user.
    fn change_roles<'env>(
        &self,
        env: &'env Env,
        grant: bool,
        user: String,
        roles: Vec<String>,
        timeout_ms: Option<u32>,
    ) -> napi::Result<PromiseRaw<'env, ()>> {
        self.admin(env, timeout_ms, move |c, p| async move {
            match grant {
                true => c.grant_roles(&p, &user, &strs(&roles)).await,
                false => c.revoke_roles(&p, &user, &strs(&roles)).await,
            }
        })
    }

    /// Grants (`grant`) or revokes privileges of a role.
    fn change_privileges<'env>(
        &self,
        env: &'env Env,
        grant: bool,
        role: String,
        privileges: &[NativePrivilege],
        timeout_ms: Option<u32>,
    ) -> napi::Result<PromiseRaw<'env, ()>> {
        let privileges = to_privileges(privileges);
        self.call(env, move |c| async move {
            let (p, privileges) = (admin_policy(timeout_ms), privileges?);
            Ok(match grant {
                true => c.grant_privileges(&p, &role, &privileges).await,
                false => c.revoke_privileges(&p, &role, &privileges).await,
            }?)
        })
    }
}
