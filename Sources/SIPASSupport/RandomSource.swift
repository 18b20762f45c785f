/// A seeded pseudo-random source: xoshiro256** (Blackman & Vigna 2018) initialized by SplitMix64.
///
/// The same seed gives the same stream on every machine. Normal variates use the Box–Muller transform
/// (cosine branch only, so each draw consumes exactly two uniforms and streams never depend on caching).
public struct RandomSource: RandomNumberGenerator, Sendable {
    private var state: (UInt64, UInt64, UInt64, UInt64)

    /// A stream identified by a seed and any number of stream labels (e.g. seed, purpose, chunk).
    public init(seed: UInt64, stream: [UInt64] = []) {
        var mix = seed
        for label in stream { mix = Self.splitMix(&mix) ^ (label &* 0x9E37_79B9_7F4A_7C15) }
        var s = mix
        state = (Self.splitMix(&s), Self.splitMix(&s), Self.splitMix(&s), Self.splitMix(&s))
    }

    private static func splitMix(_ x: inout UInt64) -> UInt64 {
        x &+= 0x9E37_79B9_7F4A_7C15
        var z = x
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    public mutating func next() -> UInt64 {
        let result = ((state.1 &* 5) << 7 | (state.1 &* 5) >> 57) &* 9
        let t = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= t
        state.3 = state.3 << 45 | state.3 >> 19
        return result
    }

    /// Uniform on [0, 1) with 53 random bits.
    public mutating func uniform() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// Standard normal.
    public mutating func normal() -> Double {
        let u1 = 1 - uniform()  // (0, 1]
        let u2 = uniform()
        return (-2 * _log(u1)).squareRoot() * _cos(2 * Double.pi * u2)
    }

    /// Uniform integer in `range`.
    public mutating func integer(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.count))
    }

    /// Gamma(shape, 1) by Marsaglia & Tsang (2000), shape ≥ 1.
    public mutating func gamma(shape: Double) -> Double {
        let d = shape - 1.0 / 3.0, c = 1 / (9 * d).squareRoot()
        while true {
            var x = 0.0, v = 0.0
            repeat { x = normal(); v = 1 + c * x } while v <= 0
            v = v * v * v
            let u = uniform()
            if u < 1 - 0.0331 * x * x * x * x || _log(u) < 0.5 * x * x + d * (1 - v + _log(v)) { return d * v }
        }
    }

    /// An index drawn with probabilities proportional to `weights`.
    /// A Binomial(n, p) variate, exact. With a mean below 10 (after mirroring p > ½) it inverts the
    /// distribution function, walking the probabilities with P(x + 1) = P(x)·((n + 1)s/(x + 1) − s), s = p/(1 − p)
    /// (Kachitvichyanukul & Schmeiser 1988, "BINV"); otherwise it rejects from a Cauchy (Lorentzian) envelope
    /// scaled to dominate the binomial probabilities (Press et al., *Numerical Recipes*, §7.3).
    public mutating func binomial(_ n: Int, _ p: Double) -> Int {
        guard n > 0, p > 0 else { return 0 }
        guard p < 1 else { return n }
        if p > 0.5 { return n - binomial(n, 1 - p) }
        let count = Double(n)
        let mean = count * p
        if mean < 10 {
            let q = 1 - p, s = p / q, a = (count + 1) * s
            let start = _exp(count * _log1p(-p))
            while true {
                var u = uniform(), r = start, x = 0
                while u > r && x < n {
                    u -= r
                    x += 1
                    r *= a / Double(x) - s
                }
                if u <= r || x == n { return x }  // rounding left u above every probability: draw again
            }
        }
        let logP = _log(p), logQ = _log1p(-p), logFactorial = _lgamma(count + 1)
        let scale = (2 * mean * (1 - p)).squareRoot()
        while true {
            var y = 0.0, candidate = 0.0
            repeat {
                y = _tan(Double.pi * uniform())
                candidate = scale * y + mean
            } while candidate < 0 || candidate >= count + 1
            candidate.round(.down)
            let ratio = 1.2 * scale * (1 + y * y)
                * _exp(logFactorial - _lgamma(candidate + 1) - _lgamma(count - candidate + 1) + candidate * logP + (count - candidate) * logQ)
            if uniform() <= ratio { return Int(candidate) }
        }
    }

    public mutating func categorical(_ cumulative: [Double]) -> Int {
        let u = uniform() * cumulative[cumulative.count - 1]
        var low = 0, high = cumulative.count - 1
        while low < high {
            let mid = (low + high) / 2
            if cumulative[mid] > u { high = mid } else { low = mid + 1 }
        }
        return low
    }
}

import Foundation
@inline(__always) func _log(_ x: Double) -> Double { Foundation.log(x) }
@inline(__always) func _cos(_ x: Double) -> Double { Foundation.cos(x) }
@inline(__always) func _exp(_ x: Double) -> Double { Foundation.exp(x) }
@inline(__always) func _log1p(_ x: Double) -> Double { Foundation.log1p(x) }
@inline(__always) func _tan(_ x: Double) -> Double { Foundation.tan(x) }
@inline(__always) func _lgamma(_ x: Double) -> Double { Foundation.lgamma(x) }
