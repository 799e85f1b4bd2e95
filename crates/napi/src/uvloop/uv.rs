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
const UV_POLL: c_int = 8;
const UV_TIMER: c_int = 13;

/// libuv's entry points, as resolved.
pub struct Uv {
    handle_size: unsafe extern "C" fn(c_int) -> usize,
    pub poll_init_socket: unsafe extern "C" fn(*mut Loop, *mut Handle, c_int) -> c_int,
    pub poll_start: unsafe extern "C" fn(*mut Handle, c_int, PollCb) -> c_int,
    pub timer_init: unsafe extern "C" fn(*mut Loop, *mut Handle) -> c_int,
    pub timer_start: unsafe extern "C" fn(*mut Handle, TimerCb, u64, u64) -> c_int,
    pub timer_stop: unsafe extern "C" fn(*mut Handle) -> c_int,
    pub close: unsafe extern "C" fn(*mut Handle, Option<CloseCb>),
    pub unref: unsafe extern "C" fn(*mut Handle),
}

/// Looks `name` up in the process's global symbols.
fn sym(name: &CStr) -> Option<*mut c_void> {
    // SAFETY: dlsym with RTLD_DEFAULT and a NUL-terminated name has no other precondition.
    let p = unsafe { libc::dlsym(libc::RTLD_DEFAULT, name.as_ptr()) };
    (!p.is_null()).then_some(p)
}

macro_rules! resolve {
    ($name:literal) => {
        // SAFETY: the symbol is libuv's function of that name, whose C signature is the field's
        // type (libuv's stable ABI, `uv.h`).
        unsafe { std::mem::transmute::<*mut c_void, _>(sym($name)?) }
    };
}

impl Uv {
    fn resolve() -> Option<Uv> {
        Some(Uv {
            handle_size: resolve!(c"uv_handle_size"),
            poll_init_socket: resolve!(c"uv_poll_init_socket"),
            poll_start: resolve!(c"uv_poll_start"),
            timer_init: resolve!(c"uv_timer_init"),
            timer_start: resolve!(c"uv_timer_start"),
            timer_stop: resolve!(c"uv_timer_stop"),
            close: resolve!(c"uv_close"),
            unref: resolve!(c"uv_unref"),
        })
    }

    /// A zeroed poll handle's memory (init it with `poll_init_socket`).
    pub fn alloc_poll(&self) -> *mut Handle {
        // SAFETY: `uv_handle_size` only reads its argument.
        alloc_handle(unsafe { (self.handle_size)(UV_POLL) })
    }

    /// A zeroed timer handle's memory (init it with `timer_init`).
    pub fn alloc_timer(&self) -> *mut Handle {
        // SAFETY: as above.
        alloc_handle(unsafe { (self.handle_size)(UV_TIMER) })
    }

    /// Frees a handle from `alloc_*`, once libuv closed it (or it was never initialised).
    ///
    /// # Safety
    /// `h` comes from `alloc_poll` (`poll`) or `alloc_timer` and libuv no longer uses it.
    pub unsafe fn free(&self, h: *mut Handle, poll: bool) {
        let size = (self.handle_size)(if poll { UV_POLL } else { UV_TIMER });
        dealloc(h.cast(), layout(size));
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
