//! The admin commands of the wire protocol: login and session authentication, then users,
//! roles, privileges, whitelists and quotas, created, changed and queried.
//!
//! Changing users or roles needs the `user-admin` privilege; a user may change its own
//! password (proving the old one) and query itself and its roles without it.

use super::codec::{self, Block, Request};
use super::roles::{Perm, Privilege, Role};
use super::users::{client_hash, User};
use super::{whitelist, Conn, Registry, Security};
use crate::result as rc;

/// Answers one admin request body on `conn`; returns the reply body (one or more blocks).
pub fn handle(sec: &Security, conn: &mut Conn, body: &[u8], now_ns: u64) -> Vec<u8> {
    let now = now_ns / 1_000_000_000;
    let reply = Request::parse(body).and_then(|req| match req.command {
        codec::LOGIN => login(sec, conn, &req, now),
        codec::AUTHENTICATE => authenticate(sec, conn, &req, now),
        _ => {
            let me = conn.user.clone().ok_or(rc::NOT_AUTHENTICATED)?;
            command(sec, &me, &req)
        }
    });
    reply.unwrap_or_else(codec::result_only)
}

fn login(sec: &Security, conn: &mut Conn, req: &Request<'_>, now: u64) -> Result<Vec<u8>, u8> {
    conn.user = None;
    let registry = sec.read();
    // PKI sends no field at all: the user is the verified client certificate's common name.
    let pki = req.field(codec::USER).is_none()
        && req.field(codec::CREDENTIAL).is_none()
        && req.field(codec::CLEAR_PASSWORD).is_none();
    let name = match (pki, conn.cert_name.clone()) {
        (true, Some(cn)) => cn,
        (true, None) => return Err(rc::INVALID_CREDENTIAL),
        (false, _) => req.text(codec::USER, rc::INVALID_USER)?.to_string(),
    };
    let name = name.as_str();
    let user = registry.users.get(name).ok_or(rc::INVALID_USER)?;
    // INTERNAL sends the client hash; EXTERNAL sends it too, with the clear password.
    let proven = pki
        || match (
            req.field(codec::CREDENTIAL),
            req.field(codec::CLEAR_PASSWORD),
        ) {
            (Some(credential), _) => user.matches(credential),
            (None, Some(clear)) => {
                user.matches(client_hash(&String::from_utf8_lossy(clear)).as_bytes())
            }
            (None, None) => false,
        };
    if !proven {
        return Err(rc::INVALID_PASSWORD);
    }
    admit_address(&registry, user, conn)?;
    let token = sec
        .sessions
        .issue(name, user.generation, now + u64::from(sec.session_ttl));
    conn.user = Some(name.to_string());
    let mut b = Block::start(Vec::new(), rc::OK);
    b.bytes(codec::SESSION_TOKEN, &token)
        .u32(codec::SESSION_TTL, sec.session_ttl);
    Ok(b.finish())
}

fn authenticate(
    sec: &Security,
    conn: &mut Conn,
    req: &Request<'_>,
    now: u64,
) -> Result<Vec<u8>, u8> {
    conn.user = None;
    let token = req
        .field(codec::SESSION_TOKEN)
        .ok_or(rc::INVALID_CREDENTIAL)?;
    let claim = sec.sessions.check(token, now)?;
    let registry = sec.read();
    let user = registry
        .users
        .get(&claim.user)
        .filter(|u| u.generation == claim.generation)
        .ok_or(rc::INVALID_CREDENTIAL)?;
    if req
        .field(codec::USER)
        .is_some_and(|u| u != claim.user.as_bytes())
    {
        return Err(rc::INVALID_CREDENTIAL);
    }
    admit_address(&registry, user, conn)?;
    conn.user = Some(claim.user);
    Ok(codec::result_only(rc::OK))
}

/// A user whose roles have whitelists may connect only from an address on one of them.
fn admit_address(registry: &Registry, user: &User, conn: &Conn) -> Result<(), u8> {
    let list: Vec<String> = registry
        .roles_of(user)
        .into_iter()
        .flat_map(|r| r.whitelist)
        .collect();
    match conn.peer {
        _ if list.is_empty() => Ok(()),
        Some(addr) if whitelist::allows(&list, addr) => Ok(()),
        _ => Err(rc::NOT_WHITELISTED),
    }
}

/// Every command after login, by the user named `me`.
fn command(sec: &Security, me: &str, req: &Request<'_>) -> Result<Vec<u8>, u8> {
    let mut registry = sec.write();
    let me = registry
        .users
        .get(me)
        .cloned()
        .ok_or(rc::NOT_AUTHENTICATED)?;
    let admin = registry.allows(&me, Perm::UserAdmin, b"", b"");
    let need_admin = || {
        if admin {
            Ok(())
        } else {
            Err(rc::ROLE_VIOLATION)
        }
    };
    let ok = || Ok(codec::result_only(rc::OK));
    match req.command {
        codec::QUERY_USERS => query_users(&registry, &me, admin, req),
        codec::QUERY_ROLES => query_roles(&registry, &me, admin, req),
        codec::CHANGE_PASSWORD => {
            let name = req.text(codec::USER, rc::INVALID_USER)?;
            let old = req.field(codec::OLD_PASSWORD).unwrap_or_default();
            if name != me.name {
                need_admin()?;
            } else if !me.matches(old) {
                return Err(rc::INVALID_PASSWORD);
            }
            set_password(&mut registry, name, req)?;
            ok()
        }
        codec::CREATE_USER => {
            need_admin()?;
            let name = req.text(codec::USER, rc::INVALID_USER)?;
            let hash = req.text(codec::PASSWORD, rc::INVALID_PASSWORD)?;
            let roles = match req.field(codec::ROLES) {
                Some(_) => role_names(req)?,
                None => Vec::new(),
            };
            if registry.users.contains_key(name) {
                return Err(rc::USER_ALREADY_EXISTS);
            }
            let user = User {
                name: name.to_string(),
                hash: hash.to_string(),
                roles,
                generation: 0,
            };
            registry.users.insert(name.to_string(), user);
            ok()
        }
        codec::DROP_USER => {
            need_admin()?;
            let name = req.text(codec::USER, rc::INVALID_USER)?;
            registry.users.remove(name).ok_or(rc::INVALID_USER)?;
            sec.quotas.forget(name);
            ok()
        }
        codec::SET_PASSWORD => {
            need_admin()?;
            set_password(&mut registry, req.text(codec::USER, rc::INVALID_USER)?, req)?;
            ok()
        }
        codec::GRANT_ROLES | codec::REVOKE_ROLES => {
            need_admin()?;
            let name = req.text(codec::USER, rc::INVALID_USER)?;
            let roles = role_names(req)?;
            let user = registry.users.get_mut(name).ok_or(rc::INVALID_USER)?;
            if req.command == codec::GRANT_ROLES {
                let new: Vec<String> = roles
                    .into_iter()
                    .filter(|r| !user.roles.contains(r))
                    .collect();
                user.roles.extend(new);
            } else {
                user.roles.retain(|r| !roles.contains(r));
            }
            ok()
        }
        codec::CREATE_ROLE => {
            need_admin()?;
            let name = req.text(codec::ROLE, rc::INVALID_ROLE)?;
            if registry.role(name).is_some() {
                return Err(rc::ROLE_ALREADY_EXISTS);
            }
            let role = Role {
                name: name.to_string(),
                privileges: valid_privileges(req)?,
                whitelist: valid_whitelist(req)?,
                read_quota: req.u32(codec::READ_QUOTA)?,
                write_quota: req.u32(codec::WRITE_QUOTA)?,
            };
            registry.roles.insert(name.to_string(), role);
            ok()
        }
        codec::DROP_ROLE => {
            need_admin()?;
            let name = req.text(codec::ROLE, rc::INVALID_ROLE)?;
            registry.roles.remove(name).ok_or(rc::INVALID_ROLE)?;
            for user in registry.users.values_mut() {
                user.roles.retain(|r| r != name);
            }
            ok()
        }
        codec::GRANT_PRIVILEGES
        | codec::REVOKE_PRIVILEGES
        | codec::SET_WHITELIST
        | codec::SET_QUOTAS => {
            need_admin()?;
            let name = req.text(codec::ROLE, rc::INVALID_ROLE)?;
            let role = registry.roles.get_mut(name).ok_or(rc::INVALID_ROLE)?;
            change_role(role, req)?;
            ok()
        }
        _ => Err(rc::INVALID_COMMAND),
    }
}

/// GRANT_PRIVILEGES, REVOKE_PRIVILEGES, SET_WHITELIST or SET_QUOTAS on a user-defined role.
fn change_role(role: &mut Role, req: &Request<'_>) -> Result<(), u8> {
    match req.command {
        codec::GRANT_PRIVILEGES => {
            for p in valid_privileges(req)? {
                if !role.privileges.contains(&p) {
                    role.privileges.push(p);
                }
            }
        }
        codec::REVOKE_PRIVILEGES => {
            let gone = valid_privileges(req)?;
            role.privileges.retain(|p| !gone.contains(p));
        }
        codec::SET_WHITELIST => role.whitelist = valid_whitelist(req)?,
        _ => {
            role.read_quota = req.u32(codec::READ_QUOTA)?;
            role.write_quota = req.u32(codec::WRITE_QUOTA)?;
        }
    }
    Ok(())
}

fn set_password(registry: &mut Registry, name: &str, req: &Request<'_>) -> Result<(), u8> {
    let hash = req.text(codec::PASSWORD, rc::INVALID_PASSWORD)?;
    let user = registry.users.get_mut(name).ok_or(rc::INVALID_USER)?;
    user.hash = hash.to_string();
    // Sessions made with the old password end.
    user.generation = user.generation.wrapping_add(1);
    Ok(())
}

/// The ROLES field. As on the Enterprise server, a user may hold a role that does not exist
/// (yet): it grants nothing until a role of that name is created.
fn role_names(req: &Request<'_>) -> Result<Vec<String>, u8> {
    let roles = req.roles()?;
    match roles.iter().all(|r| !r.is_empty()) {
        true => Ok(roles),
        false => Err(rc::INVALID_ROLE),
    }
}

fn valid_privileges(req: &Request<'_>) -> Result<Vec<Privilege>, u8> {
    let privileges = req.privileges()?;
    match privileges.iter().all(Privilege::is_valid) {
        true => Ok(privileges),
        false => Err(rc::INVALID_PRIVILEGE),
    }
}

fn valid_whitelist(req: &Request<'_>) -> Result<Vec<String>, u8> {
    let list = req.whitelist()?;
    match list.iter().all(|e| whitelist::is_valid(e)) {
        true => Ok(list),
        false => Err(rc::INVALID_WHITELIST),
    }
}

/// One block per user (one user: it, if it exists), then QUERY_END.
fn query_users(
    registry: &Registry,
    me: &User,
    admin: bool,
    req: &Request<'_>,
) -> Result<Vec<u8>, u8> {
    let users: Vec<&User> = match req.field(codec::USER) {
        Some(name) if name == me.name.as_bytes() => vec![me],
        Some(name) if admin => {
            let name = std::str::from_utf8(name).map_err(|_| rc::INVALID_USER)?;
            vec![registry.users.get(name).ok_or(rc::INVALID_USER)?]
        }
        None if admin => registry.users.values().collect(),
        _ => return Err(rc::ROLE_VIOLATION),
    };
    let mut out = Vec::new();
    for user in users {
        let roles = registry.roles_of(user);
        let quota = |f: fn(&Role) -> u32| roles.iter().map(f).max().unwrap_or(0);
        let info = |q: u32| [&[4u8][..], &q.to_be_bytes(), &[0; 12]].concat();
        let mut b = Block::start(out, rc::OK);
        b.bytes(codec::USER, user.name.as_bytes())
            .names(codec::ROLES, &user.roles)
            .bytes(codec::READ_INFO, &info(quota(|r| r.read_quota)))
            .bytes(codec::WRITE_INFO, &info(quota(|r| r.write_quota)))
            .u32(codec::CONNECTIONS, 0);
        out = b.finish();
    }
    Ok(Block::start(out, rc::QUERY_END).finish())
}

/// One block per role (one role: it, if it exists), then QUERY_END.
fn query_roles(
    registry: &Registry,
    me: &User,
    admin: bool,
    req: &Request<'_>,
) -> Result<Vec<u8>, u8> {
    let roles = match req.field(codec::ROLE) {
        Some(name) => {
            let name = std::str::from_utf8(name).map_err(|_| rc::INVALID_ROLE)?;
            if !admin && !me.roles.iter().any(|r| r == name) {
                return Err(rc::ROLE_VIOLATION);
            }
            vec![registry.role(name).ok_or(rc::INVALID_ROLE)?]
        }
        None if admin => registry.all_roles(),
        None => registry.roles_of(me),
    };
    let mut out = Vec::new();
    for role in roles {
        let mut b = Block::start(out, rc::OK);
        b.bytes(codec::ROLE, role.name.as_bytes())
            .privileges(&role.privileges);
        if !role.whitelist.is_empty() {
            b.bytes(codec::WHITELIST, role.whitelist.join(",").as_bytes());
        }
        if role.read_quota > 0 {
            b.u32(codec::READ_QUOTA, role.read_quota);
        }
        if role.write_quota > 0 {
            b.u32(codec::WRITE_QUOTA, role.write_quota);
        }
        out = b.finish();
    }
    Ok(Block::start(out, rc::QUERY_END).finish())
}
