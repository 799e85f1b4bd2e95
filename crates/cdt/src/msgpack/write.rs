//! The msgpack writer: appends elements to a buffer in the smallest forms, as the server emits
//! them (and as HLL hashing and value comparison on the server expect).

/// Appends a marker and a 16-bit length, or the 32-bit marker and length when it is longer.
fn wide(n: usize, c16: u8, c32: u8, out: &mut Vec<u8>) {
    if n <= 0xffff {
        out.push(c16);
        out.extend_from_slice(&(n as u16).to_be_bytes());
    } else {
        out.push(c32);
        out.extend_from_slice(&(n as u32).to_be_bytes());
    }
}

/// Appends an array header.
pub fn array_header(n: usize, out: &mut Vec<u8>) {
    if n < 16 {
        out.push(0x90 | n as u8);
    } else {
        wide(n, 0xdc, 0xdd, out);
    }
}

/// Appends a map header.
pub fn map_header(n: usize, out: &mut Vec<u8>) {
    if n < 16 {
        out.push(0x80 | n as u8);
    } else {
        wide(n, 0xde, 0xdf, out);
    }
}

/// Appends a str header for a payload of `len` bytes.
pub fn str_header(len: usize, out: &mut Vec<u8>) {
    if len < 32 {
        out.push(0xa0 | len as u8);
    } else if len <= 0xff {
        out.extend_from_slice(&[0xd9, len as u8]);
    } else {
        wide(len, 0xda, 0xdb, out);
    }
}

/// Appends a msgpack str whose payload is a particle type byte and `data`.
pub fn typed_bytes(particle: u8, data: &[u8], out: &mut Vec<u8>) {
    str_header(data.len() + 1, out);
    out.push(particle);
    out.extend_from_slice(data);
}

/// Appends an ext header for `len` data bytes of type `ty` (fixext where the length allows).
pub fn ext_header(len: usize, ty: u8, out: &mut Vec<u8>) {
    match len {
        1 => out.push(0xd4),
        2 => out.push(0xd5),
        4 => out.push(0xd6),
        8 => out.push(0xd7),
        16 => out.push(0xd8),
        0..=0xff => out.extend_from_slice(&[0xc7, len as u8]),
        _ => {
            out.push(0xc8);
            out.extend_from_slice(&(len as u16).to_be_bytes());
        }
    }
    out.push(ty);
}

/// Appends the marker for `width` (1, 2, 4 or 8) bytes, then the low `width` bytes of `v`.
fn sized(markers: [u8; 4], width: usize, v: u64, out: &mut Vec<u8>) {
    out.push(markers[width.trailing_zeros() as usize]);
    out.extend_from_slice(&v.to_be_bytes()[8 - width..]);
}

/// Appends an unsigned integer.
pub fn uint(u: u64, out: &mut Vec<u8>) {
    if u < 0x80 {
        return out.push(u as u8);
    }
    let width = match u {
        0x80..=0xff => 1,
        0x100..=0xffff => 2,
        0x1_0000..=0xffff_ffff => 4,
        _ => 8,
    };
    sized([0xcc, 0xcd, 0xce, 0xcf], width, u, out);
}

/// Appends an integer (non-negative ones in the unsigned forms).
pub fn int(i: i64, out: &mut Vec<u8>) {
    if i >= 0 {
        return uint(i as u64, out);
    }
    if i >= -32 {
        return out.push(i as u8);
    }
    let width = match i {
        -0x80..=-33 => 1,
        -0x8000..=-0x81 => 2,
        -0x8000_0000..=-0x8001 => 4,
        _ => 8,
    };
    sized([0xd0, 0xd1, 0xd2, 0xd3], width, i as u64, out);
}

/// Appends a float64 (the server never narrows floats).
pub fn float(f: f64, out: &mut Vec<u8>) {
    out.push(0xcb);
    out.extend_from_slice(&f.to_bits().to_be_bytes());
}
