//! Starting a command on the JavaScript thread instead of handing it to a Tokio worker.
//!
//! A command spawned onto Tokio from the JavaScript thread costs a wakeup of a parked worker
//! (a futex or eventfd write, a context switch) before anything happens; with one command in
//! flight that is paid on every command. `start` instead polls the command once right here, in
//! the runtime's context: it encodes the request, takes a pooled connection and writes to the
//! socket, and comes back pending on the reply. Only when its waker fires (from the I/O driver
//! on a worker, which is awake anyway because the reply arrived) does the command become a
//! Tokio task, spawned from that worker onto its own queue, and finish there.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Wake, Waker};

use tokio::runtime::Handle;

type Slot = Mutex<Option<Pin<Box<dyn Future<Output = ()> + Send>>>>;

struct Started {
    /// The command; `None` once it finished.
    fut: Slot,
    /// Whether it was handed to Tokio (after its first wakeup).
    spawned: AtomicBool,
    handle: Handle,
}

/// Polls the command in its slot; `Ready` once it finished (or already had).
fn poll_slot(slot: &Slot, cx: &mut Context<'_>) -> Poll<()> {
    let mut g = slot.lock().unwrap_or_else(|e| e.into_inner());
    let Some(f) = g.as_mut() else {
        return Poll::Ready(());
    };
    match f.as_mut().poll(cx) {
        Poll::Ready(()) => {
            *g = None;
            Poll::Ready(())
        }
        Poll::Pending => Poll::Pending,
    }
}

impl Wake for Started {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref()
    }

    fn wake_by_ref(self: &Arc<Self>) {
        // The first wakeup moves the command onto Tokio; from its first poll there the task's
        // own waker is registered, so later wakeups go straight to the task.
        if !self.spawned.swap(true, Ordering::AcqRel) {
            let me = self.clone();
            self.handle
                .spawn(std::future::poll_fn(move |cx| poll_slot(&me.fut, cx)));
        }
    }
}

/// Runs `fut` on `handle`'s runtime, polling it once on the calling thread first.
pub fn start<F>(handle: &Handle, fut: F)
where
    F: Future<Output = ()> + Send + 'static,
{
    let _in_runtime = handle.enter();
    let started = Arc::new(Started {
        fut: Mutex::new(Some(Box::pin(fut))),
        spawned: AtomicBool::new(false),
        handle: handle.clone(),
    });
    let waker = Waker::from(started.clone());
    let _ = poll_slot(&started.fut, &mut Context::from_waker(&waker));
}
