//! The few libuv functions this path needs, found at run time.
//!
//! Node exports its libuv to addons, but a runtime that implements Node-API without libuv (Bun)
//! does not; linking against `uv_*` would make the addon fail to load there. So each function is
//! looked up with `dlsym` in the process's global symbol table, once; when one is missing the
//! whole path stays off and every command takes the Tokio path.
//!
//! Handles are allocated here at the size libuv reports (`uv_handle_size`), never with a struct
//! layout of our own; the only field touched directly is `data`, libuv's documented first field
//! of every handle, which holds the owner's pointer.

use std::alloc::{alloc_zeroed, dealloc, Layout};
use std::ffi::{c_int, c_void, CStr};
use std::sync::OnceLock;

/// `uv_loop_t`, `uv_handle_t`: opaque.
pub type Loop = c_void;
pub type Handle = c_void;

pub type PollCb = unsafe extern "C" fn(*mut Handle, c_int, c_int);
pub type TimerCb = unsafe extern "C" fn(*mut Handle);
pub type CloseCb = unsafe extern "C" fn(*mut Handle);

/// `uv_poll_event`.
pub const READABLE: c_int = 1;
pub const WRITABLE: c_int = 2;
/// `uv_handle_type`.
pub const UV_CHECK: c_int = 2;
pub const UV_POLL: c_int = 8;
pub const UV_PREPARE: c_int = 9;
pub const UV_TIMER: c_int = 13;

type HandleSizeFn = unsafe extern "C" fn(c_int) -> usize;
type PollInitFn = unsafe extern "C" fn(*mut Loop, *mut Handle, c_int) -> c_int;
type PollStartFn = unsafe extern "C" fn(*mut Handle, c_int, PollCb) -> c_int;
type TimerInitFn = unsafe extern "C" fn(*mut Loop, *mut Handle) -> c_int;
type TimerStartFn = unsafe extern "C" fn(*mut Handle, TimerCb, u64, u64) -> c_int;
type HandleFn = unsafe extern "C" fn(*mut Handle) -> c_int;
type CloseFn = unsafe extern "C" fn(*mut Handle, Option<CloseCb>);
type UnrefFn = unsafe extern "C" fn(*mut Handle);
type CheckStartFn = unsafe extern "C" fn(*mut Handle, TimerCb) -> c_int;
type LoopIntFn = unsafe extern "C" fn(*mut Loop) -> c_int;

/// libuv's entry points, as resolved.
pub struct Uv {
    handle_size: HandleSizeFn,
    pub poll_init_socket: PollInitFn,
    pub poll_start: PollStartFn,
    pub timer_init: TimerInitFn,
    pub timer_start: TimerStartFn,
    pub timer_stop: HandleFn,
    pub close: CloseFn,
    pub unref: UnrefFn,
    pub check_init: TimerInitFn,
    pub check_start: CheckStartFn,
    pub check_stop: HandleFn,
    pub prepare_init: TimerInitFn,
    pub prepare_start: CheckStartFn,
    pub backend_fd: LoopIntFn,
    pub backend_timeout: LoopIntFn,
}

/// Looks `name` up in the process's global symbols.
fn sym(name: &CStr) -> Option<*mut c_void> {
    // SAFETY: dlsym with RTLD_DEFAULT and a NUL-terminated name has no other precondition.
    let p = unsafe { libc::dlsym(libc::RTLD_DEFAULT, name.as_ptr()) };
    (!p.is_null()).then_some(p)
}

macro_rules! resolve {
    ($name:literal as $t:ty) => {
        // SAFETY: the symbol is libuv's function of that name, whose C signature is `$t`
        // (libuv's stable ABI, `uv.h`).
        unsafe { std::mem::transmute::<*mut c_void, $t>(sym($name)?) }
    };
}

impl Uv {
    fn resolve() -> Option<Uv> {
        Some(Uv {
            handle_size: resolve!(c"uv_handle_size" as HandleSizeFn),
            poll_init_socket: resolve!(c"uv_poll_init_socket" as PollInitFn),
            poll_start: resolve!(c"uv_poll_start" as PollStartFn),
            timer_init: resolve!(c"uv_timer_init" as TimerInitFn),
            timer_start: resolve!(c"uv_timer_start" as TimerStartFn),
            timer_stop: resolve!(c"uv_timer_stop" as HandleFn),
            close: resolve!(c"uv_close" as CloseFn),
            unref: resolve!(c"uv_unref" as UnrefFn),
            check_init: resolve!(c"uv_check_init" as TimerInitFn),
            check_start: resolve!(c"uv_check_start" as CheckStartFn),
            check_stop: resolve!(c"uv_check_stop" as HandleFn),
            prepare_init: resolve!(c"uv_prepare_init" as TimerInitFn),
            prepare_start: resolve!(c"uv_prepare_start" as CheckStartFn),
            backend_fd: resolve!(c"uv_backend_fd" as LoopIntFn),
            backend_timeout: resolve!(c"uv_backend_timeout" as LoopIntFn),
        })
    }

    /// A zeroed handle's memory for a handle of `kind` (`UV_POLL`, …; init it next).
    pub fn alloc(&self, kind: c_int) -> *mut Handle {
        // SAFETY: `uv_handle_size` only reads its argument.
        alloc_handle(unsafe { (self.handle_size)(kind) })
    }

    /// Frees a handle from `alloc`, once libuv closed it (or it was never initialised).
    ///
    /// # Safety
    /// `h` comes from `alloc(kind)` and libuv no longer uses it.
    pub unsafe fn free(&self, h: *mut Handle, kind: c_int) {
        dealloc(h.cast(), layout((self.handle_size)(kind)));
    }
}

fn layout(size: usize) -> Layout {
    Layout::from_size_align(size.max(64), 16).unwrap_or(Layout::new::<[u64; 32]>())
}

fn alloc_handle(size: usize) -> *mut Handle {
    // SAFETY: the layout has a non-zero size.
    unsafe { alloc_zeroed(layout(size)).cast() }
}

/// Sets a handle's `data` field (its first field in every libuv version).
///
/// # Safety
/// `h` is a handle from `Uv::alloc_*`.
pub unsafe fn set_data(h: *mut Handle, data: *mut c_void) {
    *(h as *mut *mut c_void) = data;
}

/// A handle's `data` field.
///
/// # Safety
/// `h` is a handle from `Uv::alloc_*`.
pub unsafe fn data(h: *mut Handle) -> *mut c_void {
    *(h as *mut *mut c_void)
}

/// libuv, when this process has it.
pub fn get() -> Option<&'static Uv> {
    static UV: OnceLock<Option<Uv>> = OnceLock::new();
    UV.get_or_init(Uv::resolve).as_ref()
}
