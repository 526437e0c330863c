//! What the analysis crate's test datasets share.
#![allow(dead_code)]

/// A small deterministic generator, so every run draws the same dataset.
pub struct Lcg(pub u64);

impl Lcg {
    pub fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }

    /// A category index drawn with the given weights, `None` with the last weight.
    pub fn pick(&mut self, weights: &[u64]) -> Option<usize> {
        let mut draw = self.below(weights.iter().sum::<u64>().max(1));
        for (i, &w) in weights.iter().enumerate() {
            if draw < w {
                return (i + 1 < weights.len()).then_some(i);
            }
            draw -= w;
        }
        None
    }

    /// Weights for `n` categories and skipping: some common, some rare, some empty.
    pub fn weights(&mut self, n: usize) -> Vec<u64> {
        (0..=n).map(|_| [0, 1, 3, 10, 30][self.below(5) as usize]).collect()
    }
}
