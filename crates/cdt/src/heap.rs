//! The real server's order heap (`order_heap` in its `cdt.c`): how it picks a rank range out of
//! an unordered list. Which of several equal elements a rank names, and the order the values
//! come back in, follow from this heap rather than from a sort, so clients can see both.

use std::cmp::Ordering;

use crate::value::{compare, Value};

/// Storage positions of ranks `start..start + count` of `values`, in the order the server
/// leaves them: it heaps every element (a min-heap when the range is nearer the low end, else
/// a max-heap), pops the elements before the range and the range itself to the back of the
/// array, and reads the range off there: descending from a min-heap, ascending from a max-heap.
pub fn rank_range(values: &[&Value], start: usize, count: usize) -> Vec<usize> {
    let n = values.len();
    if count == 0 || start + count > n {
        return Vec::new();
    }
    let tail = n - start - count;
    let (want, discard) = if start <= tail {
        (Ordering::Less, start)
    } else {
        (Ordering::Greater, tail)
    };
    let mut heap = Heap {
        values,
        want,
        slots: (0..n).collect(),
        filled: n,
    };
    for i in (0..n / 2).rev() {
        heap.sift_down(i);
    }
    for end in (n - count - discard..n).rev() {
        let top = heap.slots[0];
        heap.filled -= 1;
        heap.slots[0] = heap.slots[heap.filled];
        heap.sift_down(0);
        heap.slots[end] = top;
    }
    heap.slots[heap.filled..heap.filled + count].to_vec()
}

struct Heap<'a> {
    values: &'a [&'a Value],
    /// What a parent is to its children: `Less` for a min-heap.
    want: Ordering,
    slots: Vec<usize>,
    filled: usize,
}

impl Heap<'_> {
    fn cmp(&self, a: usize, b: usize) -> Ordering {
        compare(self.values[self.slots[a]], self.values[self.slots[b]])
    }

    /// Moves a slot's element down until its children are not more `want` than it; between
    /// equal children the first is taken, as the server does.
    fn sift_down(&mut self, mut at: usize) {
        loop {
            let first = 2 * at + 1;
            if first >= self.filled {
                break;
            }
            let second = first + 1;
            let child = if second >= self.filled {
                first
            } else {
                match self.cmp(first, second) {
                    o if o == self.want || o == Ordering::Equal => first,
                    _ => second,
                }
            };
            if self.cmp(child, at) != self.want {
                break;
            }
            self.slots.swap(at, child);
            at = child;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pick(items: &[i64], start: usize, count: usize) -> Vec<usize> {
        let values: Vec<Value> = items.iter().map(|&i| Value::Int(i)).collect();
        let refs: Vec<&Value> = values.iter().collect();
        rank_range(&refs, start, count)
    }

    #[test]
    fn a_low_range_comes_back_descending_a_high_one_ascending() {
        // [10, -1, 10, 4, 6]: ranks -1, 4, 6, 10, 10.
        assert_eq!(pick(&[10, -1, 10, 4, 6], 0, 2), vec![3, 1]);
        assert_eq!(pick(&[10, -1, 10, 4, 6], 2, 3), vec![4, 2, 0]);
    }

    #[test]
    fn equal_elements_are_told_apart_by_the_heap_not_by_index() {
        // As a real CE 8.0 server answers getByRank(4) on these lists: index 0 both times.
        assert_eq!(pick(&[4, 2, 4, 1, 2], 4, 1), vec![0]);
        assert_eq!(pick(&[10, -1, 10, 4, 6], 4, 1), vec![0]);
    }
}
