//! A small seeded PRNG: SplitMix64 to expand seeds, xoshiro256** for the streams.
//!
//! Everything derived from it uses integer and basic floating-point arithmetic only (+, −, ×, ÷,
//! √ are correctly rounded under IEEE 754), never `ln`, `exp` or `cos` from the platform's libm,
//! so the same seed gives the same bytes on every platform.

/// SplitMix64 (Steele, Lea, Flood 2014): one step of the generator, used to mix seeds.
pub fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Mixes any number of words into one well-spread 64-bit hash.
pub fn hash(words: &[u64]) -> u64 {
    let mut state = 0x5EED_0F57_A1CE_u64;
    let mut acc = 0;
    for &word in words {
        state ^= word;
        acc = splitmix64(&mut state);
        state ^= acc;
    }
    acc
}

/// xoshiro256** (Blackman, Vigna 2018).
#[derive(Clone, Debug)]
pub struct Rng {
    state: [u64; 4],
}

impl Rng {
    /// A generator seeded from `seed` through SplitMix64 (so the state is never all zeros in
    /// practice, whatever the seed).
    pub fn new(seed: u64) -> Self {
        let mut mix = seed;
        let state = [
            splitmix64(&mut mix),
            splitmix64(&mut mix),
            splitmix64(&mut mix),
            splitmix64(&mut mix),
        ];
        if state == [0; 4] {
            return Self {
                state: [1, 2, 3, 4],
            };
        }
        Self { state }
    }

    /// An independent stream for `(seed, stream)`, e.g. one per event, so that event `i` is
    /// the same whatever the format or the count.
    pub fn stream(seed: u64, stream: u64) -> Self {
        Self::new(hash(&[seed, stream]))
    }

    pub fn next_u64(&mut self) -> u64 {
        let [s0, s1, s2, s3] = &mut self.state;
        let result = s1.wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = *s1 << 17;
        *s2 ^= *s0;
        *s3 ^= *s1;
        *s1 ^= *s2;
        *s0 ^= *s3;
        *s2 ^= t;
        *s3 = s3.rotate_left(45);
        result
    }

    /// Uniform in [0, 1), 53 bits.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Uniform in [low, high).
    pub fn uniform(&mut self, low: f64, high: f64) -> f64 {
        low + (high - low) * self.unit()
    }

    /// Uniform in 0..n (n > 0; 0 when n is 0). Multiply-shift, bias below 2^-40 for our n.
    pub fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// Uniform in low..=high.
    pub fn between(&mut self, low: u32, high: u32) -> u32 {
        low + self.below(u64::from(high - low) + 1) as u32
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// One item of a non-empty slice, uniformly.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        let index = self.below(items.len() as u64) as usize;
        &items[index.min(items.len().saturating_sub(1))]
    }

    /// One of a non-empty list of strings, uniformly.
    pub fn pick_str(&mut self, items: &[&'static str]) -> &'static str {
        let item: &&'static str = self.pick(items);
        item
    }

    /// A "Gaussian-ish" value with mean 0 and standard deviation 1: the Irwin–Hall sum of four
    /// uniforms, rescaled (bounded at ±3.46, no libm needed).
    pub fn gaussish(&mut self) -> f64 {
        let sum = self.unit() + self.unit() + self.unit() + self.unit();
        (sum - 2.0) * 1.732_050_807_568_877_2
    }

    /// An index drawn with the weights whose running totals are `cumulative` (non-empty,
    /// increasing, last entry the total).
    pub fn weighted(&mut self, cumulative: &[f64]) -> usize {
        let total = cumulative.last().copied().unwrap_or(0.0);
        let target = self.unit() * total;
        cumulative
            .partition_point(|&running| running <= target)
            .min(cumulative.len().saturating_sub(1))
    }
}

/// Running totals of `weights`, for [`Rng::weighted`].
pub fn cumulative(weights: impl IntoIterator<Item = f64>) -> Vec<f64> {
    let mut total = 0.0;
    weights
        .into_iter()
        .map(|weight| {
            total += weight;
            total
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xoshiro_matches_the_reference_for_a_known_state() {
        // Reference: state {1, 2, 3, 4} gives 11520, 0, 1509978240, 1215971899390074240.
        let mut rng = Rng {
            state: [1, 2, 3, 4],
        };
        let first: Vec<u64> = (0..4).map(|_| rng.next_u64()).collect();
        assert_eq!(first, [11520, 0, 1_509_978_240, 1_215_971_899_390_074_240]);
    }

    #[test]
    fn draws_stay_in_range() {
        let mut rng = Rng::new(7);
        for _ in 0..10_000 {
            let unit = rng.unit();
            assert!((0.0..1.0).contains(&unit));
            assert!(rng.below(5) < 5);
            assert!((3..=9).contains(&rng.between(3, 9)));
            assert!(rng.gaussish().abs() < 3.47);
        }
        let weights = cumulative([1.0, 0.0, 3.0]);
        for _ in 0..1000 {
            assert_ne!(rng.weighted(&weights), 1, "a zero weight is never drawn");
        }
    }
}
