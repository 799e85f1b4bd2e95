//! How far a partition scan got in each partition, so a round that did not finish can be sent
//! again for just what is left (as the official clients' partition tracker does): a partition is
//! finished once its node said so (a partition-done marker, or the node's LAST message), and
//! until then it resumes after the digest of the last record delivered from it (and, for an
//! index query, the index value the server sent with it: its `bval`). Records come in digest
//! order within a partition, so nothing is delivered twice and nothing is skipped.

/// Partitions in a namespace.
pub const PARTITIONS: usize = 4096;

#[derive(Clone, Copy, Default)]
struct Part {
    finished: bool,
    /// The server reported it unavailable in the current round.
    unavailable: bool,
    /// The digest of the last record delivered from it, and its bval (index queries).
    resume: Option<([u8; 20], u64)>,
}

/// The progress of one scan over all partitions.
pub struct Partitions {
    parts: Vec<Part>,
    /// Partitions reported unavailable since the last [`Partitions::take_unavailable`].
    unavailable: Vec<u16>,
}

impl Default for Partitions {
    fn default() -> Self {
        Partitions {
            parts: vec![Part::default(); PARTITIONS],
            unavailable: Vec::new(),
        }
    }
}

/// The partition of a record digest (its first two bytes, little-endian, modulo the count).
pub fn partition_of(digest: &[u8; 20]) -> usize {
    u16::from_le_bytes([digest[0], digest[1]]) as usize & (PARTITIONS - 1)
}

impl Partitions {
    /// A record of the partition `digest` falls in was delivered (with the bval the server
    /// sent with it, if any).
    pub fn delivered(&mut self, digest: &[u8; 20], bval: Option<u64>) {
        self.parts[partition_of(digest)].resume = Some((*digest, bval.unwrap_or(0)));
    }

    /// The node reported `pid` done: with `ok`, it has nothing more; without, the partition was
    /// unavailable and is sent again in the next round.
    pub fn done(&mut self, pid: u32, ok: bool) {
        let Some(p) = self.parts.get_mut(pid as usize) else {
            return;
        };
        if ok {
            p.finished = true;
        } else if !p.unavailable {
            p.unavailable = true;
            self.unavailable.push(pid as u16);
        }
    }

    /// The partitions reported unavailable since the last call.
    pub fn take_unavailable(&mut self) -> Vec<u16> {
        std::mem::take(&mut self.unavailable)
    }

    /// A node's reply ended normally: each of `pids` it did not report unavailable is finished.
    pub fn node_finished(&mut self, pids: &[u16]) {
        for &pid in pids {
            let p = &mut self.parts[pid as usize];
            p.finished |= !p.unavailable;
        }
    }

    /// Starts a round: clears this round's unavailability marks.
    pub fn new_round(&mut self) {
        self.parts.iter_mut().for_each(|p| p.unavailable = false);
        self.unavailable.clear();
    }

    /// The partitions not finished yet, each with where it resumes (None: from its start):
    /// after that digest, with that bval.
    pub fn pending(&self) -> impl Iterator<Item = (u16, Option<&([u8; 20], u64)>)> {
        self.parts
            .iter()
            .enumerate()
            .filter(|(_, p)| !p.finished)
            .map(|(pid, p)| (pid as u16, p.resume.as_ref()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unfinished_partitions_resume_after_their_last_record() {
        let mut parts = Partitions::default();
        let mut d = [7u8; 20];
        d[0] = 5;
        d[1] = 0x10; // partition 0x1005 & 0xfff = 5
        parts.delivered(&d, Some(9));
        parts.done(6, true);
        parts.done(7, false);
        parts.done(7, false);
        parts.done(99_999, false);
        assert_eq!(parts.take_unavailable(), vec![7]);
        parts.node_finished(&[1, 7]);
        let pending: Vec<_> = parts.pending().collect();
        assert_eq!(pending.len(), PARTITIONS - 2);
        assert!(pending.contains(&(5, Some(&(d, 9)))));
        assert!(pending.contains(&(7, None)));
        assert!(!pending.iter().any(|(p, _)| [1, 6].contains(p)));
        parts.new_round();
        parts.node_finished(&[7]);
        assert!(!parts.pending().any(|(p, _)| p == 7));
    }
}
