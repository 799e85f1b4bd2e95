//! Whitelists: the client addresses a role's users may connect from, as addresses or CIDR
//! blocks (`10.0.0.1`, `10.1.0.0/16`, `::1`).

use std::net::IpAddr;

/// Whether `entry` is an address or a CIDR block.
pub fn is_valid(entry: &str) -> bool {
    parse(entry).is_some()
}

/// Whether `addr` is in any of `entries` (invalid entries match nothing).
pub fn allows(entries: &[String], addr: IpAddr) -> bool {
    entries
        .iter()
        .filter_map(|e| parse(e))
        .any(|(net, bits)| match (net, addr) {
            (IpAddr::V4(n), IpAddr::V4(a)) => prefix_eq(&n.octets(), &a.octets(), bits),
            (IpAddr::V6(n), IpAddr::V6(a)) => prefix_eq(&n.octets(), &a.octets(), bits),
            (IpAddr::V6(n), IpAddr::V4(a)) => {
                prefix_eq(&n.octets(), &a.to_ipv6_mapped().octets(), bits)
            }
            (IpAddr::V4(n), IpAddr::V6(a)) => a
                .to_ipv4_mapped()
                .is_some_and(|a| prefix_eq(&n.octets(), &a.octets(), bits)),
        })
}

fn parse(entry: &str) -> Option<(IpAddr, u32)> {
    let (addr, bits) = match entry.split_once('/') {
        Some((a, b)) => (a, Some(b.parse::<u32>().ok()?)),
        None => (entry, None),
    };
    let addr: IpAddr = addr.trim().parse().ok()?;
    let max = if addr.is_ipv4() { 32 } else { 128 };
    let bits = bits.unwrap_or(max);
    (bits <= max).then_some((addr, bits))
}

fn prefix_eq(net: &[u8], addr: &[u8], bits: u32) -> bool {
    let (whole, rest) = ((bits / 8) as usize, bits % 8);
    if net[..whole] != addr[..whole] {
        return false;
    }
    rest == 0 || {
        let mask = 0xffu8 << (8 - rest);
        net[whole] & mask == addr[whole] & mask
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_and_blocks() {
        let list = vec!["10.1.0.0/16".to_string(), "127.0.0.1".to_string()];
        assert!(allows(&list, "10.1.200.3".parse().unwrap()));
        assert!(!allows(&list, "10.2.0.1".parse().unwrap()));
        assert!(allows(&list, "127.0.0.1".parse().unwrap()));
        assert!(allows(&list, "::ffff:127.0.0.1".parse().unwrap()));
        assert!(allows(
            &["10.0.0.0/9".into()],
            "10.127.0.1".parse().unwrap()
        ));
        assert!(!allows(
            &["10.0.0.0/9".into()],
            "10.128.0.1".parse().unwrap()
        ));
        assert!(is_valid("::1") && is_valid("0.0.0.0/0"));
        assert!(!is_valid("10.0.0.1/33") && !is_valid("host") && !is_valid(""));
    }
}
