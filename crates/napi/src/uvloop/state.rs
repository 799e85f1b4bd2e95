//! This path's state for one JavaScript environment (the main thread or a worker): its loop, the
//! facade's completion callback, and per (client, node) the idle connections.
//!
//! Everything here is touched only on the environment's own thread, so it lives in a
//! thread-local. Connections opened on Tokio arrive through `inbox` and join their pool at the
//! next command. Callbacks into JavaScript never run while the state is borrowed: a settled
//! promise's continuation may start the next command right away.

use std::cell::{Cell, RefCell};
use std::collections::{HashMap, HashSet};
use std::net::TcpStream;
use std::ptr;
use std::sync::{Arc, Mutex};

use napi::sys;

use super::socket::{Conn, PoolKey, Tls};
use super::uv::{self, Uv};

/// A connection opened on Tokio for `key` (`None`: the attempt failed): its socket and, over
/// TLS, its session (handshake and login done).
pub struct Opened {
    pub key: PoolKey,
    pub stream: Option<(TcpStream, Option<Tls>)>,
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
    pub lp: *mut uv::Loop,
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
pub unsafe fn init(
    env: sys::napi_env,
    on_ready: sys::napi_value,
    cap: usize,
    teardown: sys::napi_async_cleanup_hook,
) -> Option<usize> {
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
        && sys::napi_add_async_cleanup_hook(env, teardown, ptr::null_mut(), &mut hook)
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
    /// more may be opened (counted as open from now on). `(min_conns, max_conns)`: the client's
    /// `minConnsPerNode` and `maxConnsPerNode`; `crate_conns`: the connections the crate's pool
    /// holds to the node. This path's own stay under `cap`; within that it may always have half
    /// of what the crate's pool could open beyond its minimum (the crate's pool fills up with
    /// the commands of a first burst while this path's connections are being opened, and would
    /// otherwise keep this path small for good), and more while both pools together stay under
    /// `max_conns`. A pool of exactly `minConnsPerNode` connections leaves the path off.
    pub fn take_idle(
        &mut self,
        key: &PoolKey,
        (min_conns, max_conns): (usize, usize),
        crate_conns: impl FnOnce() -> usize,
    ) -> Result<*mut Conn, bool> {
        let pool = match self.pools.get_mut(key) {
            Some(p) => p,
            None => self.pools.entry(key.clone()).or_default(),
        };
        if let Some(c) = pool.idle.pop() {
            return Ok(c);
        }
        let share = max_conns.saturating_sub(min_conns) / 2;
        if pool.total < self.cap && (pool.total < share || pool.total + crate_conns() < max_conns) {
            pool.total += 1;
            return Err(true);
        }
        Err(false)
    }

    /// The connections Tokio opened since the last call.
    pub fn take_opened(&mut self) -> Vec<Opened> {
        let mut inbox = self.inbox.lock().unwrap_or_else(|e| e.into_inner());
        std::mem::take(&mut *inbox)
    }

    /// Adds a connection opened for `key` (`None`: its opening failed); `false` when its client
    /// is gone (the caller closes it).
    pub fn adopt(&mut self, key: &PoolKey, conn: Option<*mut Conn>) -> bool {
        let Some(pool) = self.pools.get_mut(key) else {
            return false;
        };
        match conn {
            Some(c) => {
                pool.idle.push(c);
                self.conns.insert(c);
            }
            None => pool.total = pool.total.saturating_sub(1),
        }
        true
    }

    /// Forgets the pools of client `id`; returns its idle connections for the caller to close
    /// (those in flight close when their command ends).
    pub fn forget_client(&mut self, id: u64) -> Vec<*mut Conn> {
        let keys: Vec<PoolKey> = self.pools.keys().filter(|k| k.0 == id).cloned().collect();
        let mut idle = Vec::new();
        for k in keys {
            if let Some(pool) = self.pools.remove(&k) {
                for c in pool.idle {
                    self.conns.remove(&c);
                    idle.push(c);
                }
            }
        }
        idle
    }

    /// Puts a connection whose command ended back in its pool; `false` if its client is gone.
    pub fn return_idle(&mut self, conn: *mut Conn) -> bool {
        // SAFETY: the caller passes a live connection.
        match self.pools.get_mut(unsafe { &(*conn).key }) {
            Some(pool) => {
                pool.idle.push(conn);
                true
            }
            None => false,
        }
    }

    /// Forgets a connection that is about to close.
    pub fn remove(&mut self, conn: *mut Conn) {
        if self.conns.remove(&conn) {
            // SAFETY: the caller passes a live connection.
            if let Some(pool) = self.pools.get_mut(unsafe { &(*conn).key }) {
                pool.total = pool.total.saturating_sub(1);
                pool.idle.retain(|&c| c != conn);
            }
        }
    }
}

/// Ends this environment's state at teardown: its connections, to close, and libuv; `None`
/// if there was none. `hook` is removed once they all closed (`closed_one`).
pub fn end(hook: sys::napi_async_cleanup_hook_handle) -> Option<(Vec<*mut Conn>, &'static Uv)> {
    let state = STATE.with(|s| s.borrow_mut().take())?;
    TEARDOWN.with(|t| t.set(hook));
    Some((state.conns.into_iter().collect(), state.uv))
}

/// Teardown is waiting for `n` handles to close; with none, it is over now (`false`).
pub fn closing(n: usize) -> bool {
    if n == 0 {
        let hook = TEARDOWN.with(|t| t.replace(ptr::null_mut()));
        if !hook.is_null() {
            // SAFETY: the handle napi_add_async_cleanup_hook gave, removed once.
            unsafe { sys::napi_remove_async_cleanup_hook(hook) };
        }
        return false;
    }
    CLOSING.with(|c| c.set(n));
    true
}

/// Closes one of this thread's own handles (a check or prepare handle) at teardown: its memory
/// goes in its close callback, which counts it closed (`closed_one`).
///
/// # Safety
/// `h` is a live handle of `kind` from `Uv::alloc`, on this thread, closed once; its `data`
/// is not used.
pub unsafe fn close_handle(uv: &'static Uv, h: *mut uv::Handle, kind: std::ffi::c_int) {
    uv::set_data(h, kind as usize as *mut std::ffi::c_void);
    (uv.close)(h, Some(on_handle_closed));
}

unsafe extern "C" fn on_handle_closed(h: *mut uv::Handle) {
    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        if let Some(uv) = uv::get() {
            uv.free(h, uv::data(h) as usize as std::ffi::c_int);
        }
        closed_one();
    }));
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
