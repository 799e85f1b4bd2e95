//! This path's state for one JavaScript environment (the main thread or a worker): its loop, the
//! facade's completion callback, and per (client, node) the idle connections.
//!
//! Everything here is touched only on the environment's own thread, so it lives in a
//! thread-local. Connections opened on Tokio arrive through `inbox` and join their pool at the
//! next command. Callbacks into JavaScript never run while the state is borrowed: a settled
//! promise's continuation may start the next command right away.

use std::cell::{Cell, RefCell};
use std::collections::{HashMap, HashSet};
use std::ffi::c_void;
use std::net::TcpStream;
use std::ptr;
use std::sync::{Arc, Mutex};

use napi::sys;

use super::conn::{Conn, PoolKey};
use super::uv::{self, Uv};

/// A connection opened on Tokio for `key` (`None`: the attempt failed).
pub struct Opened {
    pub key: PoolKey,
    pub stream: Option<TcpStream>,
}

pub type Inbox = Arc<Mutex<Vec<Opened>>>;

#[derive(Default)]
struct Pool {
    idle: Vec<*mut Conn>,
    /// Connections open or being opened.
    total: usize,
}

pub struct State {
    pub uv: &'static Uv,
    lp: *mut uv::Loop,
    env: sys::napi_env,
    ctx: sys::napi_async_context,
    pools: HashMap<PoolKey, Pool>,
    /// Every live connection, for teardown.
    conns: HashSet<*mut Conn>,
    pub inbox: Inbox,
    /// Connections per (client, node) on this path; past that, commands take the Tokio path.
    pub cap: usize,
}

thread_local! {
    static STATE: RefCell<Option<State>> = const { RefCell::new(None) };
    /// Connections still closing during teardown, and the hook to remove when none is left.
    static CLOSING: Cell<usize> = const { Cell::new(0) };
    static TEARDOWN: Cell<sys::napi_async_cleanup_hook_handle> = const { Cell::new(ptr::null_mut()) };
    /// Commands settled on this path in this environment (for tests).
    static SETTLED: Cell<u64> = const { Cell::new(0) };
}

/// How many commands this environment settled on this path.
pub fn settled() -> u64 {
    SETTLED.with(|c| c.get())
}

/// Counts one more.
pub fn count_settled() {
    SETTLED.with(|c| c.set(c.get() + 1));
}

/// What a callback into JavaScript needs: the environment, its async context, and the loop.
pub fn js_context() -> Option<(
    sys::napi_env,
    sys::napi_async_context,
    *mut uv::Loop,
    &'static Uv,
)> {
    with(|s| (s.env, s.ctx, s.lp, s.uv))
}

/// Runs `f` with this thread's state, if the path is on here.
pub fn with<R>(f: impl FnOnce(&mut State) -> R) -> Option<R> {
    STATE.with(|s| s.try_borrow_mut().ok()?.as_mut().map(f))
}

/// Turns the path on for this environment (once; a second copy of the package loaded in it
/// shares it) and returns a reference to `on_ready`, the completion callback of the caller's
/// dispatcher, for `wake_js`; `None` when this runtime has no libuv.
///
/// # Safety
/// `env` is the calling environment and `on_ready` a function value in it; called on its
/// JavaScript thread.
pub unsafe fn init(env: sys::napi_env, on_ready: sys::napi_value, cap: usize) -> Option<usize> {
    let mut on_ready_ref = ptr::null_mut();
    if sys::napi_create_reference(env, on_ready, 1, &mut on_ready_ref) != sys::Status::napi_ok {
        return None;
    }
    if STATE.with(|s| s.borrow().is_some()) {
        return Some(on_ready_ref as usize);
    }
    let uv = uv::get()?;
    let mut lp = ptr::null_mut();
    if sys::napi_get_uv_event_loop(env, &mut lp) != sys::Status::napi_ok || lp.is_null() {
        return None;
    }
    let mut resource = ptr::null_mut();
    let mut name = ptr::null_mut();
    let mut ctx = ptr::null_mut();
    let mut hook = ptr::null_mut();
    let ok = sys::napi_create_object(env, &mut resource) == sys::Status::napi_ok
        && sys::napi_create_string_utf8(env, c"aerospike-napi".as_ptr(), -1, &mut name)
            == sys::Status::napi_ok
        && sys::napi_async_init(env, resource, name, &mut ctx) == sys::Status::napi_ok
        && sys::napi_add_async_cleanup_hook(env, Some(teardown), ptr::null_mut(), &mut hook)
            == sys::Status::napi_ok;
    if !ok {
        return None;
    }
    TEARDOWN.with(|t| t.set(hook));
    STATE.with(|s| {
        *s.borrow_mut() = Some(State {
            uv,
            lp: lp.cast(),
            env,
            ctx,
            pools: HashMap::new(),
            conns: HashSet::new(),
            inbox: Arc::default(),
            cap,
        })
    });
    Some(on_ready_ref as usize)
}

impl State {
    /// An idle connection to `key`'s node, or `Err(should_open)`: none idle, and whether one
    /// more may be opened (counted as open from now on). `max_conns`: the client's
    /// `maxConnsPerNode`, of which this path takes at most an eighth (its connections come on
    /// top of the crate's pool; a small pool leaves the path off).
    pub fn take_idle(&mut self, key: &PoolKey, max_conns: usize) -> Result<*mut Conn, bool> {
        self.adopt_opened();
        let cap = self.cap.min(max_conns / 8);
        let pool = match self.pools.get_mut(key) {
            Some(p) => p,
            None => self.pools.entry(key.clone()).or_default(),
        };
        if let Some(c) = pool.idle.pop() {
            return Ok(c);
        }
        if pool.total < cap {
            pool.total += 1;
            return Err(true);
        }
        Err(false)
    }

    /// Gives the connections Tokio opened to their pools.
    fn adopt_opened(&mut self) {
        let opened = {
            let mut inbox = self.inbox.lock().unwrap_or_else(|e| e.into_inner());
            if inbox.is_empty() {
                return;
            }
            std::mem::take(&mut *inbox)
        };
        for o in opened {
            let conn = o
                .stream
                .and_then(|s| Conn::new(self.uv, self.lp, s, o.key.clone()));
            match (self.pools.get_mut(&o.key), conn) {
                (Some(pool), Some(c)) => {
                    pool.idle.push(c);
                    self.conns.insert(c);
                }
                (Some(pool), None) => pool.total = pool.total.saturating_sub(1),
                // The client closed meanwhile.
                // SAFETY: a live connection of this thread, used nowhere else.
                (None, Some(c)) => unsafe { Conn::close(self.uv, c) },
                (None, None) => {}
            }
        }
    }

    /// Closes the idle connections of client `id` and forgets its pools; its connections in
    /// flight close when their command ends.
    pub fn forget_client(&mut self, id: u64) {
        let keys: Vec<PoolKey> = self.pools.keys().filter(|k| k.0 == id).cloned().collect();
        for k in keys {
            if let Some(pool) = self.pools.remove(&k) {
                for c in pool.idle {
                    self.conns.remove(&c);
                    // SAFETY: idle connections are live and owned by the pool.
                    unsafe { Conn::close(self.uv, c) };
                }
            }
        }
    }
}

/// A connection whose command ended: back to its pool, or closed if its client is gone.
///
/// # Safety
/// `conn` is live, on this thread, with no command.
pub unsafe fn release(uv: &'static Uv, conn: *mut Conn) {
    let kept = with(|s| match s.pools.get_mut(&(*conn).key) {
        Some(pool) => {
            pool.idle.push(conn);
            true
        }
        None => false,
    });
    if kept != Some(true) {
        drop_conn(uv, conn);
    }
}

/// Takes a connection out of this thread's state and closes it.
///
/// # Safety
/// `conn` is live, on this thread, and not used afterwards; the state is not borrowed.
pub unsafe fn drop_conn(uv: &'static Uv, conn: *mut Conn) {
    with(|s| {
        if s.conns.remove(&conn) {
            if let Some(pool) = s.pools.get_mut(&(*conn).key) {
                pool.total = pool.total.saturating_sub(1);
                pool.idle.retain(|&c| c != conn);
            }
        }
    });
    Conn::close(uv, conn);
}

/// A connection finished closing; the last one during teardown lets the environment go.
pub fn closed_one() {
    if STATE.with(|s| s.borrow().is_some()) {
        return;
    }
    let left = CLOSING.with(|c| {
        let n = c.get().saturating_sub(1);
        c.set(n);
        n
    });
    if left == 0 {
        let hook = TEARDOWN.with(|t| t.replace(ptr::null_mut()));
        if !hook.is_null() {
            // SAFETY: the handle napi_add_async_cleanup_hook gave, removed once.
            unsafe { sys::napi_remove_async_cleanup_hook(hook) };
        }
    }
}

/// The environment is going away: close every connection (commands in flight are dropped with
/// it); the environment waits until libuv has closed them all.
unsafe extern "C" fn teardown(hook: sys::napi_async_cleanup_hook_handle, _arg: *mut c_void) {
    let _ = std::panic::catch_unwind(|| {
        let Some(state) = STATE.with(|s| s.borrow_mut().take()) else {
            sys::napi_remove_async_cleanup_hook(hook);
            return;
        };
        TEARDOWN.with(|t| t.set(hook));
        let check = super::wake::close(state.uv) as usize;
        if state.conns.is_empty() && check == 0 {
            TEARDOWN.with(|t| t.set(ptr::null_mut()));
            sys::napi_remove_async_cleanup_hook(hook);
            return;
        }
        CLOSING.with(|c| c.set(state.conns.len() + check));
        for c in state.conns {
            // SAFETY: live connections of this thread; the state that listed them is gone.
            Conn::close(state.uv, c);
        }
    });
}
