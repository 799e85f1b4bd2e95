//! Cardinality, union, intersection and similarity estimates, computed with the server's
//! formulas and in the server's floating-point order (clients compare exact counts).
//!
//! Counts use Ertl's improved raw estimator ("New cardinality estimation algorithms for
//! HyperLogLog sketches", 2017, algorithm 6). With minhash bits, intersections and similarity
//! follow HyperMinHash (Yu & Weber, 2017); without, inclusion–exclusion over HLL counts.

use super::sketch::{Sketch, HLL_BITS};

/// Largest HLL value a register can hold, plus one (the histogram's size).
const HLL_VALUES: usize = 1 << HLL_BITS;

/// The estimated number of distinct elements (the cached count when there is one).
pub(super) fn cardinality(h: &Sketch) -> u64 {
    if h.cache != 0 {
        return h.cache;
    }
    let n = h.n_registers() as f64;
    let mut histogram = [0u32; HLL_VALUES + 1];
    for r in 0..h.n_registers() {
        histogram[usize::from(h.hll_value(h.get(r)))] += 1;
    }
    let mut z = n * tau(f64::from(histogram[HLL_VALUES]) / n);
    for k in (1..=HLL_VALUES).rev() {
        z = 0.5 * (z + f64::from(histogram[k]));
    }
    z += n * sigma(f64::from(histogram[0]) / n);
    (alpha(h.index_bits) * n * n / z).round() as u64
}

fn tau(mut x: f64) -> f64 {
    if x == 0.0 || x == 1.0 {
        return 0.0;
    }
    let mut y = 1.0;
    let mut z = 1.0 - x;
    loop {
        x = x.sqrt();
        let previous = z;
        y *= 0.5;
        let d = 1.0 - x;
        z -= d * d * y;
        if previous == z {
            return z / 3.0;
        }
    }
}

fn sigma(mut x: f64) -> f64 {
    if x == 1.0 {
        return f64::INFINITY;
    }
    let mut y = 1.0;
    let mut z = x;
    loop {
        x *= x;
        let previous = z;
        z += x * y;
        y += y;
        if previous == z {
            return z;
        }
    }
}

fn alpha(index_bits: u8) -> f64 {
    match index_bits {
        4 => 0.673,
        5 => 0.697,
        6 => 0.709,
        _ => 0.7213 / (1.0 + 1.079 / f64::from(1u32 << index_bits)),
    }
}

/// The shape a combination of sketches takes: the fewest index bits, and the minhash bits if
/// all sketches agree on them (else none).
pub(super) fn template(hs: &[&Sketch]) -> (u8, u8) {
    let mut index_bits = hs[0].index_bits;
    let mut minhash_bits = hs[0].minhash_bits;
    for h in &hs[1..] {
        index_bits = index_bits.min(h.index_bits);
        if minhash_bits != 0 && minhash_bits != h.minhash_bits {
            minhash_bits = 0;
        }
    }
    (index_bits, minhash_bits)
}

/// The union of sketches, shaped by [`template`].
pub(super) fn union(hs: &[&Sketch]) -> Sketch {
    let (index_bits, minhash_bits) = template(hs);
    let mut u = Sketch::new(index_bits, minhash_bits);
    for h in hs {
        u.union_in(h);
    }
    u
}

pub(super) fn union_count(hs: &[&Sketch]) -> u64 {
    cardinality(&union(hs))
}

pub(super) fn intersect_count(hs: &[&Sketch]) -> u64 {
    if template(hs).1 == 0 {
        return hll_intersect_count(hs);
    }
    let j = similarity(hs);
    if j.is_nan() {
        return 0;
    }
    (union_count(hs) as f64 * j).round() as u64
}

/// Jaccard similarity: NaN when every sketch is empty.
pub(super) fn similarity(hs: &[&Sketch]) -> f64 {
    let (index_bits, minhash_bits) = template(hs);
    if minhash_bits == 0 {
        return hll_intersect_count(hs) as f64 / union_count(hs) as f64;
    }
    let with_data = hs.iter().filter(|h| h.has_data()).count();
    if with_data < hs.len() {
        return if with_data > 0 { 0.0 } else { f64::NAN };
    }
    let mut agg = union(hs);
    let n_union = agg.used_registers();
    agg = Sketch::new(index_bits, minhash_bits);
    agg.union_in(hs[0]);
    for h in &hs[1..] {
        agg.intersect_in(h);
    }
    let n_intersect = agg.used_registers();
    let collisions = if hs.len() == 2 {
        expected_collisions(
            index_bits,
            minhash_bits,
            cardinality(hs[0]),
            cardinality(hs[1]),
        )
    } else {
        0.0
    };
    let j = (n_intersect as f64 - collisions) / n_union as f64;
    if j < 0.0 {
        0.0
    } else {
        j
    }
}

/// Expected number of registers two unrelated sets of these sizes share by chance.
fn expected_collisions(index_bits: u8, minhash_bits: u8, card0: u64, card1: u64) -> f64 {
    let n = f64::from(1u32 << index_bits);
    let mut cp = 0.0;
    for i in 1..=HLL_VALUES as i32 {
        // The last bucket holds everything at or above the largest value.
        let b1 = if i as usize == HLL_VALUES {
            0.0
        } else {
            2f64.powi(-i) / n
        };
        let b2 = 2f64.powi(1 - i) / n;
        let px = (1.0 - b1).powf(card0 as f64) - (1.0 - b2).powf(card0 as f64);
        let py = (1.0 - b1).powf(card1 as f64) - (1.0 - b2).powf(card1 as f64);
        cp += px * py;
    }
    cp * n / 2f64.powi(i32::from(minhash_bits))
}

/// Inclusion–exclusion over HLL counts (two or three sketches).
fn hll_intersect_count(hs: &[&Sketch]) -> u64 {
    let cu = union_count(hs);
    let mut sum: u64 = 0;
    for h in hs {
        match sum.checked_add(cardinality(h)) {
            Some(s) => sum = s,
            None => {
                sum = u64::MAX;
                break;
            }
        }
    }
    if hs.len() == 2 {
        return sum.saturating_sub(cu);
    }
    let pairwise = intersect_count(&[hs[0], hs[1]])
        .wrapping_add(intersect_count(&[hs[1], hs[2]]))
        .wrapping_add(intersect_count(&[hs[0], hs[2]]));
    let r = (cu as i64).wrapping_sub((sum as i64).wrapping_sub(pairwise as i64));
    r.max(0) as u64
}
