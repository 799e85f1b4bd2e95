//! What a frame asks for, decided once, and the module of its family that answers it.
//!
//! A frame is an info request ([`crate::info`]), an admin command ([`crate::security::admin`])
//! or an AS_MSG; with security on, each is first checked against the connection's user. A
//! message is classified as a [`Request`] once — a batch, one record, or, for a message
//! without a DIGEST field, a background job, an aggregation, an index query or a partition
//! scan — and handed to the module of that family: [`crate::batch`], [`crate::single`],
//! [`crate::background`], [`crate::udf::stream`], [`crate::query`], [`crate::scan`].

use crate::command::{Call, Command, Reply};
use crate::frame::{self, Frame};
use crate::msg::{self, Malformed, Message, INFO1_BATCH, INFO1_READ, INFO2_WRITE};
use crate::query::plan::Plan;
use crate::record::partition_of;
use crate::result as rc;
use crate::security::{self, Conn, Perm};
use crate::store::Namespace;
use crate::stream::{self, last_only, Protos};
use crate::{background, batch, info, query, scan, single, udf, State};

/// UDF_OP value of an aggregation query.
const UDF_OP_AGGREGATE: u8 = 1;

/// What answering one frame produces.
pub enum Answer<'a> {
    /// The complete reply.
    Bytes(Vec<u8>),
    /// A batch, scan or index query, answered one proto (batch) or one partition (scan, query)
    /// at a time as the connection sends them.
    Stream(Box<dyn Protos + Send + 'a>),
}

/// One AS_MSG, classified.
enum Request<'s, 'm> {
    /// Many single-record rows (INFO1_BATCH).
    Batch,
    /// One record (the message has a DIGEST field).
    Single(Result<Command<'m>, Malformed>),
    /// A scan or query refused before it starts (no such namespace, a bad index filter): the
    /// stream is only the LAST message with this code.
    Refused(u8),
    /// A scan or query that writes: the request's ops, or the UDF, applied to every record it
    /// selects.
    Background(&'s Namespace, Option<Plan>, Option<Call<'m>>),
    /// A stream UDF run over the records a scan or query selects.
    Aggregate(&'s Namespace, Option<Plan>, Call<'m>),
    /// A foreground index query.
    Query(&'s Namespace, Plan),
    /// A foreground partition scan.
    Scan(&'s Namespace),
}

impl<'s, 'm> Request<'s, 'm> {
    /// Classifies a message. A single-record command for a partition this node does not own is
    /// still served (a cluster's nodes share the data) but counted as misrouted.
    fn of(state: &'s State, m: &'m Message<'m>) -> Request<'s, 'm> {
        if m.header.info1 & INFO1_BATCH != 0 {
            return Request::Batch;
        }
        if let Some(d) = m.field(msg::FIELD_DIGEST) {
            if let Some(c) = &state.config.cluster {
                if d.len() == 20
                    && !c.owns(
                        &state.node_id,
                        partition_of(d.try_into().unwrap_or(&[0; 20])),
                    )
                {
                    c.count_misrouted();
                }
            }
            return Request::Single(Command::from_message(m));
        }
        let Some(ns) = m
            .field(msg::FIELD_NAMESPACE)
            .and_then(|n| state.store.namespace(n))
        else {
            return Request::Refused(rc::NAMESPACE);
        };
        let call = Call::from_fields(|k| m.field(k));
        let background = call.is_some() || m.header.info2 & INFO2_WRITE != 0;
        let plan = match Plan::of(ns, m) {
            Ok(p) => p,
            Err(code) => return Request::Refused(code),
        };
        match (call, plan) {
            (Some(call), plan) if m.field(msg::FIELD_UDF_OP) == Some(&[UDF_OP_AGGREGATE]) => {
                Request::Aggregate(ns, plan, call)
            }
            (call, plan) if background => Request::Background(ns, plan, call),
            (_, Some(plan)) => Request::Query(ns, plan),
            (_, None) => Request::Scan(ns),
        }
    }

    /// What the connection's user must be allowed to do (a batch: each of its commands).
    fn perm(&self) -> Perm {
        match self {
            Request::Single(Ok(cmd)) => command_perm(cmd),
            Request::Background(_, _, Some(_)) => Perm::UdfWrite,
            Request::Background(_, _, None) => Perm::Write,
            _ => Perm::Read,
        }
    }
}

fn command_perm(cmd: &Command<'_>) -> Perm {
    match (cmd.udf, cmd.info2(INFO2_WRITE), cmd.info1 & INFO1_READ != 0) {
        (Some(_), _, _) => Perm::UdfWrite,
        (None, true, true) => Perm::ReadWrite,
        (None, true, false) => Perm::Write,
        (None, false, _) => Perm::Read,
    }
}

/// Answers one frame on a connection whose security state is `auth`, or returns `None` to
/// close the connection.
pub fn answer<'a>(state: &'a State, frame: &'a Frame, auth: &mut Conn) -> Option<Answer<'a>> {
    let security = state.config.security.as_deref();
    let now = || state.clock.now_ns();
    match frame.kind {
        frame::TYPE_INFO => {
            let body = match security.map(|s| s.check_info(auth, &frame.body, now())) {
                Some(Err(refusal)) => refusal,
                _ => info::handle(state, &frame.body),
            };
            Some(Answer::Bytes(with_header(frame::TYPE_INFO, body)))
        }
        frame::TYPE_ADMIN => Some(Answer::Bytes(match security {
            Some(s) => with_header(
                frame::TYPE_ADMIN,
                security::admin::handle(s, auth, &frame.body, now()),
            ),
            None => admin_reply(),
        })),
        frame::TYPE_MSG => Some(message(state, &frame.body, auth)),
        _ => None,
    }
}

/// Produces the complete reply bytes for one frame on a new connection, or `None` to close
/// the connection.
pub fn dispatch(state: &State, frame: Frame) -> Option<Vec<u8>> {
    Some(match answer(state, &frame, &mut Conn::default())? {
        Answer::Bytes(b) => b,
        Answer::Stream(mut run) => run.collect(),
    })
}

fn message<'a>(state: &'a State, body: &'a [u8], auth: &Conn) -> Answer<'a> {
    let security = state.config.security.as_deref();
    let check = |perm, ns: Option<&[u8]>, set: Option<&[u8]>| {
        let (ns, set) = (ns.unwrap_or_default(), set.unwrap_or_default());
        security.map_or(Ok(()), |s| {
            s.check(auth, perm, ns, set, state.clock.now_ns())
        })
    };
    let Ok(m) = msg::parse(body) else {
        let refused = check(Perm::Read, None, None).err();
        return Answer::Bytes(single_reply(&Reply::code(refused.unwrap_or(rc::PARAMETER))));
    };
    let request = Request::of(state, &m);
    let checked = match &request {
        Request::Batch => Ok(()),
        Request::Single(Ok(cmd)) => check(request.perm(), Some(cmd.namespace), cmd.set),
        r => check(
            r.perm(),
            m.field(msg::FIELD_NAMESPACE),
            m.field(msg::FIELD_SET),
        ),
    };
    if let Err(code) = checked {
        return Answer::Bytes(match request {
            Request::Single(_) => single_reply(&Reply::code(code)),
            _ => last_only(code),
        });
    }
    Answer::Bytes(match request {
        Request::Batch => {
            let run = match batch::start(state, &m) {
                Ok(run) => run,
                Err(reply) => return Answer::Bytes(reply),
            };
            let checked = run
                .commands()
                .try_for_each(|c| check(command_perm(c), Some(c.namespace), c.set));
            return match checked {
                Ok(()) => Answer::Stream(Box::new(run)),
                Err(code) => Answer::Bytes(last_only(code)),
            };
        }
        Request::Single(Ok(cmd)) => single_reply(&single::execute(state, &cmd)),
        Request::Single(Err(_)) => single_reply(&Reply::code(rc::PARAMETER)),
        Request::Refused(code) => last_only(code),
        Request::Background(ns, plan, call) => {
            background::handle(state, ns, &m, plan.as_ref(), call.as_ref())
        }
        Request::Aggregate(ns, plan, call) => {
            udf::stream::handle(state, ns, &m, &call, plan.as_ref())
        }
        Request::Query(ns, plan) => return streamed(query::handle(state, ns, &m, plan)),
        Request::Scan(ns) => return streamed(scan::handle(state, ns, &m)),
    })
}

/// A scan or query run, or the complete reply that refused it.
fn streamed<'a>(run: Result<stream::Run<'a>, Vec<u8>>) -> Answer<'a> {
    match run {
        Ok(run) => Answer::Stream(Box::new(run)),
        Err(reply) => Answer::Bytes(reply),
    }
}

/// The reply to a single-record command, framed.
pub fn single_reply(reply: &Reply) -> Vec<u8> {
    let mut w = msg::MsgWriter::default();
    reply.encode(&mut w, 0);
    with_header(frame::TYPE_MSG, w.buf)
}

fn with_header(kind: u8, body: Vec<u8>) -> Vec<u8> {
    let mut out = frame::header(kind, body.len()).to_vec();
    out.extend_from_slice(&body);
    out
}

/// Security is not enabled: every admin command (LOGIN included) gets result 52, which clients
/// read as "no login needed".
fn admin_reply() -> Vec<u8> {
    let mut body = [0u8; 16];
    body[1] = rc::SECURITY_NOT_ENABLED;
    with_header(frame::TYPE_ADMIN, body.to_vec())
}
