use super::*;

const SRC: &str = r#"
function lists(rec)
  local l = list{1, 2}
  list.append(l, 3)
  list.prepend(l, 0)
  local sum = 0
  for v in list.iterator(l) do sum = sum + v end
  return sum * 100 + list.size(l) * 10 + #list.take(l, 2)
end

function maps(rec)
  local m = map{a = 1}
  m.b = 2
  m['a'] = nil -- kept, with a nil value, as the real server does
  local before = map.size(m)
  map.remove(m, 'a')
  local keys = 0
  for k, v in map.pairs(m) do keys = keys + v end
  return before * 100 + map.size(m) * 10 + keys
end

function nested(rec)
  local l = list()
  l[1] = list{1}
  list.append(l[1], 2)
  return l
end

function records(rec)
  rec.x = 5
  local before = rec.x
  local ok = aerospike:update(rec)
  return list{before, ok, record.gen(rec), record.ttl(rec), aerospike:exists(rec),
    record.setname(rec), record.key(rec), #record.bin_names(rec)}
end

function tables(rec)
  return {a = {1, 2}}
end

function floats(rec, x)
  trace("ignored %s", x)
  return x / 2
end

function hog(rec)
  local t = {}
  for i = 1, 100000000 do t[i] = string.rep("x", 1000) .. i end
end
"#;

fn run(function: &str, rec: RecState, args: &[Val]) -> (Result<Val, Failure>, RecState) {
    let shared = Rc::new(RefCell::new(rec));
    let r = call("t", SRC.as_bytes(), "h1", function, &shared, args);
    let st = std::mem::take(&mut *shared.borrow_mut());
    (r, st)
}

fn mp(v: &Val) -> String {
    format!("{:?}", v.to_mp().unwrap())
}

#[test]
fn list_and_map_functions() {
    assert!(matches!(
        run("lists", RecState::default(), &[]).0,
        Ok(Val::Int(642))
    ));
    assert!(matches!(
        run("maps", RecState::default(), &[]).0,
        Ok(Val::Int(212))
    ));
    let nested = run("nested", RecState::default(), &[]).0.unwrap();
    assert_eq!(
        mp(&nested),
        mp(&Val::list(vec![Val::list(vec![Val::Int(1), Val::Int(2)])]))
    );
    let t = run("tables", RecState::default(), &[]).0.unwrap();
    assert_eq!(
        mp(&t),
        mp(&Val::map(vec![(
            Val::Str(b"a".to_vec()),
            Val::list(vec![Val::Int(1), Val::Int(2)])
        )]))
    );
    assert!(matches!(
        run("floats", RecState::default(), &[Val::Int(3)]).0,
        Ok(Val::Float(f)) if f == 1.5
    ));
}

#[test]
fn record_api_sees_and_changes_the_record() {
    let mut stored = crate::record::Record {
        set: "s".into(),
        generation: 3,
        void_time: 1100,
        key: Some(crate::record::Value::int(9)),
        ..Default::default()
    };
    stored.set_bin("y", Some(crate::record::Value::int(1)));
    let rec = RecState {
        exists: true,
        stored,
        now: 1000,
        ..Default::default()
    };
    let (r, st) = run("records", rec, &[]);
    let expected = Val::list(vec![
        Val::Int(5),
        Val::Int(0),
        Val::Int(3),
        Val::Int(100),
        Val::Bool(true),
        Val::Str(b"s".to_vec()),
        Val::Int(9),
        Val::Int(2),
    ]);
    assert_eq!(mp(&r.unwrap()), mp(&expected));
    assert!(st.has_updates);
    assert_eq!(st.stored.bin(b"x"), Some(&crate::record::Value::int(5)));

    // On a missing record, update refuses (-2) and nothing is marked changed.
    let (r, st) = run("records", RecState::default(), &[]);
    let r = r.unwrap();
    let Val::List(items) = &r else { panic!() };
    assert!(matches!(items.borrow()[1], Val::Int(-2)));
    assert!(!st.has_updates);
}

#[test]
fn failures_are_messages() {
    let (r, _) = run("missing", RecState::default(), &[]);
    assert_eq!(r.unwrap_err().0, "function not found");
    let (r, _) = run("hog", RecState::default(), &[]);
    let msg = r.unwrap_err().0;
    assert!(msg.contains("memory") || msg.contains("timed out"), "{msg}");
    let shared = Rc::new(RefCell::new(RecState::default()));
    let r = call("bad", b"function (", "h", "f", &shared, &[]);
    assert!(r.unwrap_err().0.starts_with("bad.lua:"));
}
