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

/// Appends an unsigned integer.
pub fn uint(u: u64, out: &mut Vec<u8>) {
    if u < 0x80 {
        out.push(u as u8);
    } else if u <= 0xff {
        out.extend_from_slice(&[0xcc, u as u8]);
    } else if u <= 0xffff {
        out.push(0xcd);
        out.extend_from_slice(&(u as u16).to_be_bytes());
    } else if u <= 0xffff_ffff {
        out.push(0xce);
        out.extend_from_slice(&(u as u32).to_be_bytes());
    } else {
        out.push(0xcf);
        out.extend_from_slice(&u.to_be_bytes());
    }
}

/// Appends an integer (non-negative ones in the unsigned forms).
pub fn int(i: i64, out: &mut Vec<u8>) {
    if i >= 0 {
        uint(i as u64, out);
    } else if i >= -32 {
        out.push(i as i8 as u8);
    } else if i >= i8::MIN as i64 {
        out.extend_from_slice(&[0xd0, i as i8 as u8]);
    } else if i >= i16::MIN as i64 {
        out.push(0xd1);
        out.extend_from_slice(&(i as i16).to_be_bytes());
    } else if i >= i32::MIN as i64 {
        out.push(0xd2);
        out.extend_from_slice(&(i as i32).to_be_bytes());
    } else {
        out.push(0xd3);
        out.extend_from_slice(&i.to_be_bytes());
    }
}

/// Appends a float64 (the server never narrows floats).
pub fn float(f: f64, out: &mut Vec<u8>) {
    out.push(0xcb);
    out.extend_from_slice(&f.to_bits().to_be_bytes());
}
