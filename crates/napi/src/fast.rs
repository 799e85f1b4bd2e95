//! The per-turn entry point of single-record commands as a raw Node-API function.
//!
//! napi-rs's generated glue for a method that takes class references (`&NativeClient`,
//! `&Dispatcher`) opens a borrow-tracking scope for every call: a few allocations, a lock and
//! thread-local bookkeeping, which cost about as much as the rest of starting a command on the
//! event loop. `submit` runs once per JavaScript turn that issues commands, so it is also
//! exported raw, as `submitFast(client, dispatcher, buffer, end)`: each object's class is checked
//! by its type tag exactly as the generated glue checks it, and the buffer is read up to `end`
//! in place (the facade does not make a view of it for each call). Errors are thrown as
//! `submit` throws them. Its methods take `&self` only, so no borrow of it can conflict.

#![cfg_attr(test, allow(dead_code))]

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr;

use napi::bindgen_prelude::{validate_type_tag, JsObjectValue, Object, TypeTag, Unknown};
use napi::{sys, Env, JsError};
use napi_derive::napi;

use crate::client::NativeClient;
use crate::dispatch::Dispatcher;

/// The raw entry points, as an object of functions (`{ submitFast }`).
#[napi(
    ts_return_type = "{ submitFast(client: NativeClient, dispatcher: Dispatcher, reqs: Buffer, end: number): void }"
)]
pub fn raw_entry_points(env: &Env) -> napi::Result<Object<'_>> {
    let mut obj = Object::new(env)?;
    let mut f = ptr::null_mut();
    let name = "submitFast";
    // SAFETY: on the JavaScript thread of `env`, with a callback of the Node-API signature.
    unsafe {
        napi::check_status!(sys::napi_create_function(
            env.raw(),
            name.as_ptr().cast(),
            name.len() as isize,
            Some(submit_fast),
            ptr::null_mut(),
            &mut f,
        ))?;
        obj.set_named_property(name, Unknown::from_raw_unchecked(env.raw(), f))?;
    }
    Ok(obj)
}

unsafe extern "C" fn submit_fast(
    env: sys::napi_env,
    info: sys::napi_callback_info,
) -> sys::napi_value {
    let outcome = catch_unwind(AssertUnwindSafe(|| submit(env, info)));
    let err = match outcome {
        Ok(Ok(())) => return ptr::null_mut(),
        Ok(Err(e)) => e,
        Err(_) => napi::Error::from_reason("panic in submitFast"),
    };
    JsError::from(err).throw_into(env);
    ptr::null_mut()
}

unsafe fn submit(env: sys::napi_env, info: sys::napi_callback_info) -> napi::Result<()> {
    let mut argc = 4;
    let mut argv = [ptr::null_mut(); 4];
    napi::check_status!(sys::napi_get_cb_info(
        env,
        info,
        &mut argc,
        argv.as_mut_ptr(),
        ptr::null_mut(),
        ptr::null_mut(),
    ))?;
    if argc < 4 {
        return Err(napi::Error::new(
            napi::Status::InvalidArg,
            "submitFast takes 4 arguments",
        ));
    }
    let client: &NativeClient = unwrap(env, argv[0], "NativeClient")?;
    let dispatcher: &Dispatcher = unwrap(env, argv[1], "Dispatcher")?;
    let mut data = ptr::null_mut();
    let mut len = 0;
    napi::check_status!(
        sys::napi_get_buffer_info(env, argv[2], &mut data, &mut len),
        "submitFast: reqs must be a Buffer"
    )?;
    let mut end = 0u32;
    napi::check_status!(sys::napi_get_value_uint32(env, argv[3], &mut end))?;
    let end = end as usize;
    if end > len {
        return Err(napi::Error::new(
            napi::Status::InvalidArg,
            "submitFast: end is past the buffer",
        ));
    }
    let reqs: &[u8] = if end == 0 {
        &[]
    } else {
        // SAFETY: the buffer's own memory, `len` bytes long, alive during this call.
        std::slice::from_raw_parts(data.cast::<u8>(), end)
    };
    client.submit_bytes(&Env::from_raw(env), dispatcher, reqs)
}

/// The `T` a JavaScript object wraps, after checking that it is one (its type tag).
unsafe fn unwrap<'a, T: TypeTag>(
    env: sys::napi_env,
    v: sys::napi_value,
    name: &str,
) -> napi::Result<&'a T> {
    validate_type_tag(env, v, &<T as TypeTag>::type_tag(), name)?;
    let mut wrapped = ptr::null_mut();
    napi::check_status!(
        sys::napi_unwrap(env, v, &mut wrapped),
        "expected a {}",
        name
    )?;
    // SAFETY: napi-rs wraps a `T` under this tag; it lives as long as its JavaScript object,
    // which the caller's arguments keep alive for this call.
    Ok(&*wrapped.cast::<T>())
}
