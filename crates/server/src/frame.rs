//! Proto framing: the 8-byte header in front of every message, in both directions.
//!
//! `version (1) | type (1) | body length (6, big-endian)`. Version is always 2. A compressed
//! message (type 4) wraps a complete type-3 proto in zlib; [`inflate`] unwraps it with a size
//! limit so a small hostile body cannot expand into gigabytes.

use std::io::Read;

use tokio::io::{AsyncRead, AsyncReadExt};

// Proto types and the body limit are the protocol crate's.
pub use aerospike_cdt::wire::proto::{MAX_BODY, TYPE_ADMIN, TYPE_COMPRESSED, TYPE_INFO, TYPE_MSG};

/// Why a frame could not be read. Every variant ends the connection; the details are only
/// ever shown through `Debug`.
#[derive(Debug)]
#[allow(dead_code)]
pub enum FrameError {
    /// The peer closed the connection or the socket failed.
    Io(std::io::Error),
    /// A version byte other than 2.
    BadVersion(u8),
    /// A message type this server does not speak.
    BadType(u8),
    /// A body larger than [`MAX_BODY`].
    TooLarge(u64),
    /// A compressed body that does not inflate into one valid type-3 proto.
    BadCompression(&'static str),
}

impl From<std::io::Error> for FrameError {
    fn from(e: std::io::Error) -> Self {
        FrameError::Io(e)
    }
}

/// One received message: its type and body (header removed).
#[derive(Debug)]
pub struct Frame {
    /// Proto type (1, 2 or 3; type 4 is unwrapped by [`read_frame`]).
    pub kind: u8,
    /// The body bytes.
    pub body: Vec<u8>,
}

/// Splits an 8-byte proto header into (version, type, body length).
pub fn parse_header(h: &[u8; 8]) -> (u8, u8, u64) {
    let len = u64::from_be_bytes([0, 0, h[2], h[3], h[4], h[5], h[6], h[7]]);
    (h[0], h[1], len)
}

/// Builds an 8-byte proto header.
pub fn header(kind: u8, len: usize) -> [u8; 8] {
    let v = (2u64 << 56) | ((kind as u64) << 48) | (len as u64 & 0xFFFF_FFFF_FFFF);
    v.to_be_bytes()
}

/// Reads one frame. Returns `Ok(None)` on a clean end of stream before a header starts.
pub async fn read_frame<R: AsyncRead + Unpin>(r: &mut R) -> Result<Option<Frame>, FrameError> {
    let mut h = [0u8; 8];
    let mut got = 0;
    while got < 8 {
        let n = r.read(&mut h[got..]).await?;
        if n == 0 {
            if got == 0 {
                return Ok(None);
            }
            return Err(FrameError::Io(std::io::ErrorKind::UnexpectedEof.into()));
        }
        got += n;
    }
    let (version, kind, len) = parse_header(&h);
    if version != 2 && !(version == 0 && kind == TYPE_ADMIN) {
        return Err(FrameError::BadVersion(version));
    }
    if !(TYPE_INFO..=TYPE_COMPRESSED).contains(&kind) {
        return Err(FrameError::BadType(kind));
    }
    if len > MAX_BODY {
        return Err(FrameError::TooLarge(len));
    }
    let mut body = vec![0u8; len as usize];
    r.read_exact(&mut body).await?;
    if kind == TYPE_COMPRESSED {
        let inner = inflate(&body)?;
        return Ok(Some(Frame {
            kind: TYPE_MSG,
            body: inner,
        }));
    }
    Ok(Some(Frame { kind, body }))
}

/// Unwraps a type-4 body: `uncompressed size (u64) | zlib(inner proto)`; returns the inner body.
pub fn inflate(body: &[u8]) -> Result<Vec<u8>, FrameError> {
    if body.len() < 8 {
        return Err(FrameError::BadCompression("short compressed body"));
    }
    let announced = u64::from_be_bytes(body[..8].try_into().unwrap_or([0; 8]));
    if !(8..=MAX_BODY + 8).contains(&announced) {
        return Err(FrameError::BadCompression("bad uncompressed size"));
    }
    let mut out = Vec::with_capacity((announced as usize).min(1 << 20));
    // `take` bounds the output: a zip bomb stops at the announced size plus one byte.
    let mut dec = flate2::read::ZlibDecoder::new(&body[8..]).take(announced + 1);
    dec.read_to_end(&mut out)
        .map_err(|_| FrameError::BadCompression("corrupt zlib stream"))?;
    if out.len() as u64 != announced {
        return Err(FrameError::BadCompression("size mismatch"));
    }
    let mut h = [0u8; 8];
    h.copy_from_slice(&out[..8]);
    let (version, kind, len) = parse_header(&h);
    if version != 2 || kind != TYPE_MSG || len != announced - 8 {
        return Err(FrameError::BadCompression("inner proto header"));
    }
    out.drain(..8);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_round_trip() {
        let h = header(TYPE_INFO, 5);
        assert_eq!(h, [2, 1, 0, 0, 0, 0, 0, 5]);
        assert_eq!(parse_header(&h), (2, 1, 5));
    }

    #[tokio::test]
    async fn reads_split_frames_and_rejects_garbage() {
        let mut data: &[u8] = &[2, 1, 0, 0, 0, 0, 0, 5, b'n', b'o', b'd', b'e', b'\n'];
        let f = read_frame(&mut data).await.unwrap().unwrap();
        assert_eq!((f.kind, f.body.as_slice()), (1, &b"node\n"[..]));
        assert!(read_frame(&mut data).await.unwrap().is_none());

        let mut bad: &[u8] = &[9, 1, 0, 0, 0, 0, 0, 0];
        assert!(matches!(
            read_frame(&mut bad).await,
            Err(FrameError::BadVersion(9))
        ));
        let mut bad: &[u8] = &[2, 7, 0, 0, 0, 0, 0, 0];
        assert!(matches!(
            read_frame(&mut bad).await,
            Err(FrameError::BadType(7))
        ));
        let mut big: &[u8] = &[2, 3, 0xff, 0, 0, 0, 0, 0];
        assert!(matches!(
            read_frame(&mut big).await,
            Err(FrameError::TooLarge(_))
        ));
        let mut short: &[u8] = &[2, 3, 0, 0, 0, 0, 0, 9, 1, 2];
        assert!(matches!(
            read_frame(&mut short).await,
            Err(FrameError::Io(_))
        ));
    }

    #[test]
    fn inflate_checks_sizes() {
        use flate2::write::ZlibEncoder;
        use std::io::Write;
        let mut inner = header(TYPE_MSG, 3).to_vec();
        inner.extend_from_slice(b"abc");
        let mut enc = ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        enc.write_all(&inner).unwrap();
        let z = enc.finish().unwrap();
        let mut body = (inner.len() as u64).to_be_bytes().to_vec();
        body.extend_from_slice(&z);
        assert_eq!(inflate(&body).unwrap(), b"abc");

        let mut lying = 100u64.to_be_bytes().to_vec();
        lying.extend_from_slice(&z);
        assert!(inflate(&lying).is_err());
        assert!(inflate(&[0, 0, 0, 0, 0, 0, 0, 11, 1, 2, 3]).is_err());
        assert!(inflate(&[1]).is_err());
    }
}
