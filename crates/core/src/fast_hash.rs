//! A fast hash for sets and maps keyed by text from the data files (ids, column names). The
//! keys are not chosen by an adversary who could profit from collisions (at worst a crafted
//! file loads slower), so FxHash's multiply-rotate does instead of SipHash, which was 5–8% of
//! the time of loading a million events.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

pub(crate) type FastHashSet<T> = HashSet<T, BuildHasherDefault<FxHasher>>;
pub(crate) type FastHashMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

#[derive(Default)]
pub(crate) struct FxHasher(u64);

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        for &byte in chunks.remainder() {
            self.add(u64::from(byte));
        }
    }

    fn write_u8(&mut self, value: u8) {
        self.add(u64::from(value));
    }

    fn write_usize(&mut self, value: usize) {
        self.add(value as u64);
    }

    fn finish(&self) -> u64 {
        // The multiply leaves the best-mixed bits at the top; hash tables index by the bottom.
        self.0.rotate_left(26)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_text_hashes_equal_and_sets_work() {
        let mut set = FastHashSet::default();
        assert!(set.insert("PAK12345".to_owned()));
        assert!(!set.insert("PAK12345".to_owned()));
        assert!(set.insert("PAK12346".to_owned()));
        let mut map = FastHashMap::default();
        map.insert("latitude", 24);
        assert_eq!(map.get("latitude"), Some(&24));
        assert_eq!(map.get("longitude"), None);
    }
}
