//! What the demo's loaders share: the name their history is written under, and a seeded
//! generator, so that every machine loads the same demo.

/// The actor of the records and readings the demo writes.
pub const ACTOR: &str = "demo";

/// xorshift64*: a tiny deterministic generator for the noise.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(mix(seed) | 1)
    }

    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Triangular in (-bound, bound): most noise small, never beyond the bound.
    pub fn noise(&mut self, bound: f64) -> f64 {
        (self.unit() + self.unit() - 1.0) * bound
    }
}

/// splitmix64's finaliser: spreads the bits of a seed or hash.
pub fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}
