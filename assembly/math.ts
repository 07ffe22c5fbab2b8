// Elementary functions for the kernels, in two forms with the same algorithm: `*4` on f32x4
// lanes (SIMD build) and `*1` on one f32 (scalar build and the SIMD build's tails), so a tail
// element gets the same value it would have got in a vector lane.
//
// Every helper is @inline and allocation free. Max errors against f64 Math.* of the same f32
// input, measured by dense sweeps (2e5 points for exp/log/log1p in a scratch harness; the
// activation sweeps in test/kernels/unary.test.ts re-check the composed functions on 1e5
// points over [−90, 90] plus a log-spaced sweep near 0), identical in the SIMD lanes and the
// scalar build:
// - exp: Cephes-style, n = round(x·log2 e), r = x − n·ln2 (two-part ln2), degree-5
//   polynomial for e^r on |r| ≤ ln2/2, then ·2^n built in two halves so results from the
//   subnormal range up to FLT_MAX come out right. 8.0e-8 relative on [−87.3, 88.7].
//   x > 88.7229 gives +Infinity, x < −104 gives 0 (subnormal results in between lose relative
//   precision, as they must), NaN stays NaN.
// - log1p on [0, 1]: Cephes logf polynomial on the reduced argument f = t (t ≤ √2−1) or
//   f = (t−1)/2 (t > √2−1, result + ln 2). f is formed without adding 1, so tiny t keeps its
//   full precision (log1p(t) = t for t < 2^-24). 1.2e-7 relative.
// - log (scalar, per row): same polynomial after splitting off the exponent. 7.6e-8
//   relative on [1e-37, 1e37], 3.9e-8 absolute around 1.
// - tanh: odd polynomial (Cephes tanhf) for |x| < 0.625, 1 − 2/(e^{2|x|} + 1) beyond.
//   1.3e-7 relative (also near 0: no 2σ(2x)−1 cancellation); tanh(±Inf) = ±1.
// - sigmoid: t = e^{−|x|}, 1/(1+t) for x ≥ 0 and t/(1+t) for x < 0, so the negative side keeps
//   relative accuracy down to subnormal results (sigmoid(−100) ≈ 3.7e-44, never NaN).
//   1.7e-7 relative.
// - atan: Cephes atanf range reduction (|x| > tan 3π/8, > tan π/8) with a single division,
//   degree-4 polynomial in x². 1.7e-7 relative; atan(±Inf) = ±π/2.
// - softplus = max(x, 0) + log1p(e^−|x|): 1.2e-7 relative; softplus(100) = 100,
//   softplus(−100) ≈ 3.7e-44.

// ---------------------------------------------------------------- constants

const LOG2E: f32 = 1.44269504088896341;
/** ln 2 split so that n·LN2_HI is exact for |n| ≤ 2^9. */
const LN2_HI: f32 = 0.693359375;
const LN2_LO: f32 = -2.12194440e-4;
/** exp clamps its argument here: below, every result rounds to 0; above, to +Infinity. */
const EXP_LO: f32 = -104.0;
const EXP_HI: f32 = 89.0;
const EP0: f32 = 1.9875691500e-4;
const EP1: f32 = 1.3981999507e-3;
const EP2: f32 = 8.3334519073e-3;
const EP3: f32 = 4.1665795894e-2;
const EP4: f32 = 1.6666665459e-1;
const EP5: f32 = 5.0000001201e-1;

const SQRT2M1: f32 = 0.41421356237309505;
const LP0: f32 = 7.0376836292e-2;
const LP1: f32 = -1.1514610310e-1;
const LP2: f32 = 1.1676998740e-1;
const LP3: f32 = -1.2420140846e-1;
const LP4: f32 = 1.4249322787e-1;
const LP5: f32 = -1.6668057665e-1;
const LP6: f32 = 2.0000714765e-1;
const LP7: f32 = -2.4999993993e-1;
const LP8: f32 = 3.3333331174e-1;

const TANH_SMALL: f32 = 0.625;
const TP0: f32 = -5.70498872745e-3;
const TP1: f32 = 2.06390887954e-2;
const TP2: f32 = -5.37397155531e-2;
const TP3: f32 = 1.33314422036e-1;
const TP4: f32 = -3.33332819422e-1;

const TAN3PI8: f32 = 2.414213562373095;
const TANPI8: f32 = 0.4142135623730950;
const PIO2: f32 = 1.5707963267948966;
const PIO4: f32 = 0.7853981633974483;
const AP0: f32 = 8.05374449538e-2;
const AP1: f32 = -1.38776856032e-1;
const AP2: f32 = 1.99777106478e-1;
const AP3: f32 = -3.33329491539e-1;

const SIGN_MASK: i32 = 0x80000000;

// ---------------------------------------------------------------- scalar (one f32)

/**
 * `c ? a : b` without a branch, as bit masks. V8 (11.x, x64) compiles both f32 and i32
 * `select` (and f32.max) into compare-and-jump sequences, which mispredict on random-signed
 * data: the scalar ReLU ran at ~4 ns/element with them (see bench/elementwise.bench.ts).
 */
// @ts-ignore: decorator
@inline export function selectf(a: f32, b: f32, c: bool): f32 {
  const m = -(<i32>c);
  return reinterpret<f32>((reinterpret<i32>(a) & m) | (reinterpret<i32>(b) & ~m));
}

// @ts-ignore: decorator
@inline export function exp1(x: f32): f32 {
  x = min<f32>(max<f32>(x, EXP_LO), EXP_HI); // f32.min/max propagate NaN
  const n = nearest<f32>(x * LOG2E);
  let r = x - n * LN2_HI;
  r = r - n * LN2_LO;
  let p = EP0 * r + EP1;
  p = p * r + EP2;
  p = p * r + EP3;
  p = p * r + EP4;
  p = p * r + EP5;
  p = p * (r * r) + r + 1;
  // 2^n as 2^(n>>1) · 2^(n − n>>1): each half stays a normal float for n in [−150, 128].
  const ni = <i32>n; // saturating (nontrapping-f2i); NaN gives 0 and p is NaN anyway
  const n1 = ni >> 1;
  const s1 = reinterpret<f32>((n1 + 127) << 23);
  const s2 = reinterpret<f32>((ni - n1 + 127) << 23);
  return p * s1 * s2;
}

/** log(1 + f) + e·ln2 for f in [√½−1, √2−1] (Cephes logf core, two-part ln 2). */
// @ts-ignore: decorator
@inline function logReduced1(f: f32, e: f32): f32 {
  const z = f * f;
  let p = LP0 * f + LP1;
  p = p * f + LP2;
  p = p * f + LP3;
  p = p * f + LP4;
  p = p * f + LP5;
  p = p * f + LP6;
  p = p * f + LP7;
  p = p * f + LP8;
  let y = p * f * z;
  y = y + e * LN2_LO;
  y = y - 0.5 * z;
  return f + y + e * LN2_HI;
}

/** log(1 + t) for t in [0, 1] (what e^−|z| produces); accurate for tiny t. */
// @ts-ignore: decorator
@inline export function log1pUnit1(t: f32): f32 {
  const big = t > SQRT2M1;
  // (1 + t)/2 − 1 = (t − 1)/2: the reduced argument is formed without rounding 1 + t.
  const f = selectf((t - 1) * 0.5, t, big);
  return logReduced1(f, <f32>big);
}

/**
 * Natural log of a scalar, any f32 (per-row use only: branches, not vectorised). Same
 * polynomial as log1p; 7.6e-8 relative, 3.9e-8 absolute near 1; log(0) = −Infinity,
 * negative → NaN, +Infinity and NaN pass through. Written here
 * rather than taken from the standard library because Math.log/Mathf.log bring lookup tables
 * as data segments, which would be copied into the shared, imported memory at instantiation.
 */
// @ts-ignore: decorator
@inline export function log1(x: f32): f32 {
  if (!(x > 0) || x == Infinity) {
    if (x == 0) return -Infinity;
    return x < 0 ? NaN : x + x; // NaN stays NaN, +Infinity stays +Infinity
  }
  let bits = reinterpret<i32>(x);
  let e: i32 = 0;
  if (bits < 0x00800000) { // subnormal: scale by 2^25 first
    bits = reinterpret<i32>(x * 33554432.0);
    e = -25;
  }
  e += (bits >> 23) - 127;
  let m = reinterpret<f32>((bits & 0x007fffff) | 0x3f800000); // [1, 2)
  if (m > <f32>1.41421356237309505) {
    m *= 0.5;
    e += 1;
  }
  return logReduced1(m - 1, <f32>e);
}

/** base^t for integer t ≥ 0 by repeated squaring in f64 (no tables, ≤ ~log2(t) ulp). */
// @ts-ignore: decorator
@inline export function powi(base: f64, t: i32): f64 {
  let r: f64 = 1;
  let b = base;
  let k = t;
  while (k > 0) {
    if (k & 1) r *= b;
    b *= b;
    k >>= 1;
  }
  return r;
}

/** 1 / (1 + e^−x), relative accuracy kept on both sides. */
// @ts-ignore: decorator
@inline export function sigmoid1(x: f32): f32 {
  const t = exp1(-abs<f32>(x));
  const r: f32 = 1 / (1 + t);
  return selectf(r, t * r, x >= 0);
}

/** tanh(x); polynomial near 0 so small |x| keeps full relative precision. */
// @ts-ignore: decorator
@inline export function tanh1(x: f32): f32 {
  const ax = abs<f32>(x);
  const z = x * x;
  let p = TP0 * z + TP1;
  p = p * z + TP2;
  p = p * z + TP3;
  p = p * z + TP4;
  const small = x + x * z * p;
  const e = exp1(ax + ax);
  const large = copysign<f32>(1 - 2 / (e + 1), x);
  return selectf(small, large, ax < TANH_SMALL);
}

/** atan(x). */
// @ts-ignore: decorator
@inline export function atan1(x: f32): f32 {
  const ax = abs<f32>(x);
  const hi = ax > TAN3PI8;
  const mid = ax > TANPI8;
  const num = selectf(-1, selectf(ax - 1, ax, mid), hi);
  const den = selectf(ax, selectf(ax + 1, 1, mid), hi);
  const y0 = selectf(PIO2, selectf(PIO4, 0, mid), hi);
  const xr = num / den;
  const z = xr * xr;
  let p = AP0 * z + AP1;
  p = p * z + AP2;
  p = p * z + AP3;
  const y = y0 + (xr + xr * z * p);
  return copysign<f32>(y, x);
}

/** log(1 + e^x) = max(x, 0) + log1p(e^−|x|): no overflow, exact x for large x. */
// @ts-ignore: decorator
@inline export function softplus1(x: f32): f32 {
  return max<f32>(x, 0) + log1pUnit1(exp1(-abs<f32>(x)));
}

// ---------------------------------------------------------------- SIMD (f32x4)

/** 1.5·2^23: adding it to an integer-valued float |n| < 2^22 puts n in the low mantissa bits. */
const MAGIC: f32 = 12582912.0;
/** ln of 2^-126, the smallest normal f32: below it {@link expShift4} gives 0. */
const EXP_NORMAL_LO: f32 = -87.33654475;

/** e^r for |r| ≤ ln2/2: the degree-5 polynomial of exp1, on f32x4 lanes. */
// @ts-ignore: decorator
@inline function expPoly4(r: v128): v128 {
  let p = f32x4.add(f32x4.mul(f32x4.splat(EP0), r), f32x4.splat(EP1));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(EP2));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(EP3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(EP4));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(EP5));
  return f32x4.add(f32x4.add(f32x4.mul(p, f32x4.mul(r, r)), r), f32x4.splat(1));
}

/** x − n·ln 2 with ln 2 in two parts, as exp1 forms it. */
// @ts-ignore: decorator
@inline function reduceLn2_4(x: v128, n: v128): v128 {
  const r = f32x4.sub(x, f32x4.mul(n, f32x4.splat(LN2_HI)));
  return f32x4.sub(r, f32x4.mul(n, f32x4.splat(LN2_LO)));
}

/**
 * The same algorithm as exp1, lane by lane, bit for bit. The clamp uses pmin/pmax (one x64
 * instruction each, where f32x4.min/max take about eight for their NaN and ±0 rules; with the
 * bound second a NaN lane still passes through), and n becomes an integer by the magic-number
 * add instead of i32x4.trunc_sat_f32x4_s (about seven instructions in V8): both give the same
 * bits for the clamped range, and a NaN lane's p is NaN either way.
 */
// @ts-ignore: decorator
@inline export function exp4(x: v128): v128 {
  x = f32x4.pmin(f32x4.pmax(x, f32x4.splat(EXP_LO)), f32x4.splat(EXP_HI));
  const n = f32x4.nearest(f32x4.mul(x, f32x4.splat(LOG2E)));
  const p = expPoly4(reduceLn2_4(x, n));
  const ni = i32x4.sub(f32x4.add(n, f32x4.splat(MAGIC)), i32x4.splat(reinterpret<i32>(MAGIC)));
  const n1 = i32x4.shr_s(ni, 1);
  const bias = i32x4.splat(127);
  const s1 = i32x4.shl(i32x4.add(n1, bias), 23);
  const s2 = i32x4.shl(i32x4.add(i32x4.sub(ni, n1), bias), 23);
  return f32x4.mul(f32x4.mul(p, s1), s2);
}

/**
 * e^d for d ≤ 0 (x − max in a softmax row) or NaN: exactly exp4's bits where d ≥ −87.34
 * (results from 2^-126 up), +0 below, where exp4 gives subnormals (at most 1.2e-38 apart).
 * About 40 % fewer instructions: no clamp (d ≤ 0 cannot overflow, and whatever the reduction
 * makes of a very negative or −∞ lane is masked to 0), n rounded by the magic-number add
 * (ties to even like nearest, since 1.5·2^23 is even), 2^n straight from its bits and applied
 * in one multiply (one rounding, as exp4's two when the result is subnormal).
 */
// @ts-ignore: decorator
@inline export function expShift4(d: v128): v128 {
  const b = f32x4.add(f32x4.mul(d, f32x4.splat(LOG2E)), f32x4.splat(MAGIC));
  const n = f32x4.sub(b, f32x4.splat(MAGIC));
  const s = i32x4.shl(i32x4.add(b, i32x4.splat(127 - reinterpret<i32>(MAGIC))), 23);
  const e = f32x4.mul(expPoly4(reduceLn2_4(d, n)), s);
  return v128.andnot(e, f32x4.lt(d, f32x4.splat(EXP_NORMAL_LO)));
}

// @ts-ignore: decorator
@inline export function log1pUnit4(t: v128): v128 {
  const big = f32x4.gt(t, f32x4.splat(SQRT2M1));
  const one = f32x4.splat(1);
  const f = v128.bitselect(f32x4.mul(f32x4.sub(t, one), f32x4.splat(0.5)), t, big);
  const e = v128.and(big, one);
  const z = f32x4.mul(f, f);
  let p = f32x4.add(f32x4.mul(f32x4.splat(LP0), f), f32x4.splat(LP1));
  p = f32x4.add(f32x4.mul(p, f), f32x4.splat(LP2));
  p = f32x4.add(f32x4.mul(p, f), f32x4.splat(LP3));
  p = f32x4.add(f32x4.mul(p, f), f32x4.splat(LP4));
  p = f32x4.add(f32x4.mul(p, f), f32x4.splat(LP5));
  p = f32x4.add(f32x4.mul(p, f), f32x4.splat(LP6));
  p = f32x4.add(f32x4.mul(p, f), f32x4.splat(LP7));
  p = f32x4.add(f32x4.mul(p, f), f32x4.splat(LP8));
  let y = f32x4.mul(f32x4.mul(p, f), z);
  y = f32x4.add(y, f32x4.mul(e, f32x4.splat(LN2_LO)));
  y = f32x4.sub(y, f32x4.mul(f32x4.splat(0.5), z));
  return f32x4.add(f32x4.add(f, y), f32x4.mul(e, f32x4.splat(LN2_HI)));
}

// @ts-ignore: decorator
@inline export function sigmoid4(x: v128): v128 {
  const t = exp4(f32x4.neg(f32x4.abs(x)));
  const r = f32x4.div(f32x4.splat(1), f32x4.add(f32x4.splat(1), t));
  return v128.bitselect(r, f32x4.mul(t, r), f32x4.ge(x, f32x4.splat(0)));
}

// @ts-ignore: decorator
@inline export function tanh4(x: v128): v128 {
  const ax = f32x4.abs(x);
  const z = f32x4.mul(x, x);
  let p = f32x4.add(f32x4.mul(f32x4.splat(TP0), z), f32x4.splat(TP1));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(TP2));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(TP3));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(TP4));
  const small = f32x4.add(x, f32x4.mul(f32x4.mul(x, z), p));
  const e = exp4(f32x4.add(ax, ax));
  const one = f32x4.splat(1);
  const mag = f32x4.sub(one, f32x4.div(f32x4.splat(2), f32x4.add(e, one)));
  const large = v128.or(mag, v128.and(x, i32x4.splat(SIGN_MASK)));
  return v128.bitselect(small, large, f32x4.lt(ax, f32x4.splat(TANH_SMALL)));
}

// @ts-ignore: decorator
@inline export function atan4(x: v128): v128 {
  const ax = f32x4.abs(x);
  const hi = f32x4.gt(ax, f32x4.splat(TAN3PI8));
  const mid = f32x4.gt(ax, f32x4.splat(TANPI8));
  const one = f32x4.splat(1);
  const num = v128.bitselect(f32x4.splat(-1), v128.bitselect(f32x4.sub(ax, one), ax, mid), hi);
  const den = v128.bitselect(ax, v128.bitselect(f32x4.add(ax, one), one, mid), hi);
  const y0 = v128.bitselect(f32x4.splat(PIO2), v128.and(mid, f32x4.splat(PIO4)), hi);
  const xr = f32x4.div(num, den);
  const z = f32x4.mul(xr, xr);
  let p = f32x4.add(f32x4.mul(f32x4.splat(AP0), z), f32x4.splat(AP1));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(AP2));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(AP3));
  const y = f32x4.add(y0, f32x4.add(xr, f32x4.mul(f32x4.mul(xr, z), p)));
  return v128.or(y, v128.and(x, i32x4.splat(SIGN_MASK)));
}

// @ts-ignore: decorator
@inline export function softplus4(x: v128): v128 {
  const t = exp4(f32x4.neg(f32x4.abs(x)));
  return f32x4.add(f32x4.max(x, f32x4.splat(0)), log1pUnit4(t));
}

// ---------------------------------------------------------------- row helpers (softmax, losses, max)

/**
 * Largest of n elements of a row: -Infinity for n ≤ 0, NaN if any element is NaN.
 * `shift`: only a shift for exponentials is wanted, so the SIMD body may use pmax (one x64
 * instruction; f32x4.max takes about eight): a NaN element may then be skipped and a zero
 * maximum may come out as −0 — harmless there, since x − m and exp still give NaN for a NaN
 * element (so NaN for the row's sum) and x − (±0) is the same for every x but ±0, whose
 * exponential is 1 either way.
 */
// @ts-ignore: decorator
@inline export function rowMax(x: usize, n: i32, shift: bool = false): f32 {
  let i = 0;
  let m: f32 = -Infinity;
  if (ASC_FEATURE_SIMD) {
    let m0 = f32x4.splat(-Infinity);
    let m1 = m0;
    let m2 = m0;
    let m3 = m0;
    for (; i + 16 <= n; i += 16) {
      const o = <usize>i << 2;
      if (shift) {
        m0 = f32x4.pmax(m0, v128.load(x + o));
        m1 = f32x4.pmax(m1, v128.load(x + o, 16));
        m2 = f32x4.pmax(m2, v128.load(x + o, 32));
        m3 = f32x4.pmax(m3, v128.load(x + o, 48));
      } else {
        m0 = f32x4.max(m0, v128.load(x + o));
        m1 = f32x4.max(m1, v128.load(x + o, 16));
        m2 = f32x4.max(m2, v128.load(x + o, 32));
        m3 = f32x4.max(m3, v128.load(x + o, 48));
      }
    }
    for (; i + 4 <= n; i += 4) {
      const v = v128.load(x + (<usize>i << 2));
      m0 = shift ? f32x4.pmax(m0, v) : f32x4.max(m0, v);
    }
    if (shift) {
      // The tail as one more vector and the lanes folded by shuffles: no scalar max at all.
      if (i < n) m0 = f32x4.pmax(m0, loadTail4(x + (<usize>i << 2), n - i, -Infinity));
      m0 = f32x4.pmax(f32x4.pmax(m0, m1), f32x4.pmax(m2, m3));
      m0 = f32x4.pmax(m0, v128.shuffle<f32>(m0, m0, 2, 3, 0, 1));
      m0 = f32x4.pmax(m0, v128.shuffle<f32>(m0, m0, 1, 0, 3, 2));
      return f32x4.extract_lane(m0, 0);
    }
    m0 = f32x4.max(f32x4.max(m0, m1), f32x4.max(m2, m3));
    m = max<f32>(max<f32>(f32x4.extract_lane(m0, 0), f32x4.extract_lane(m0, 1)),
      max<f32>(f32x4.extract_lane(m0, 2), f32x4.extract_lane(m0, 3)));
  }
  for (; i < n; i++) m = max<f32>(m, load<f32>(x + (<usize>i << 2)));
  return m;
}

/** The t (1…3) floats at p in the low lanes, `fill` in the others; reads nothing past them. */
// @ts-ignore: decorator
@inline export function loadTail4(p: usize, t: i32, fill: f32): v128 {
  let v = f32x4.replace_lane(f32x4.splat(fill), 0, load<f32>(p));
  if (t > 1) v = f32x4.replace_lane(v, 1, load<f32>(p, 4));
  if (t > 2) v = f32x4.replace_lane(v, 2, load<f32>(p, 8));
  return v;
}

/** Horizontal sum of the four lanes, pairwise. */
// @ts-ignore: decorator
@inline export function hsum4(v: v128): f32 {
  return (f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1)) +
    (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
}

/**
 * Σ e^(x[i] − shift) over a row of n, shift ≥ every x[i] (the row max); when `out` is not 0
 * also stores each term to out[i] (out may equal x). The sum is f32 (two f32x4 accumulators
 * in the SIMD build). The SIMD build uses expShift4 (terms below 2^-126 are 0; exp1's in the
 * scalar build) and takes the last n mod 4 elements as one vector too, its spare lanes
 * −Infinity (term +0), so short rows make no scalar exp calls; only the used lanes are stored.
 */
// @ts-ignore: decorator
@inline export function expShiftSum(x: usize, out: usize, n: i32, shift: f32): f32 {
  let i = 0;
  let s: f32 = 0;
  if (ASC_FEATURE_SIMD) {
    const sh = f32x4.splat(shift);
    let a0 = f32x4.splat(0);
    let a1 = a0;
    // Wide rows take eight vectors per pass (1.25× faster than two on 1000-wide rows in
    // Node 20, as fast in Node 24), added in the order the two-vector loop below adds them,
    // so every row length gives the same bits.
    for (; i + 32 <= n; i += 32) {
      const o = <usize>i << 2;
      const e0 = expShift4(f32x4.sub(v128.load(x + o), sh));
      const e1 = expShift4(f32x4.sub(v128.load(x + o, 16), sh));
      const e2 = expShift4(f32x4.sub(v128.load(x + o, 32), sh));
      const e3 = expShift4(f32x4.sub(v128.load(x + o, 48), sh));
      const e4 = expShift4(f32x4.sub(v128.load(x + o, 64), sh));
      const e5 = expShift4(f32x4.sub(v128.load(x + o, 80), sh));
      const e6 = expShift4(f32x4.sub(v128.load(x + o, 96), sh));
      const e7 = expShift4(f32x4.sub(v128.load(x + o, 112), sh));
      if (out != 0) {
        v128.store(out + o, e0);
        v128.store(out + o, e1, 16);
        v128.store(out + o, e2, 32);
        v128.store(out + o, e3, 48);
        v128.store(out + o, e4, 64);
        v128.store(out + o, e5, 80);
        v128.store(out + o, e6, 96);
        v128.store(out + o, e7, 112);
      }
      a0 = f32x4.add(f32x4.add(f32x4.add(f32x4.add(a0, e0), e2), e4), e6);
      a1 = f32x4.add(f32x4.add(f32x4.add(f32x4.add(a1, e1), e3), e5), e7);
    }
    for (; i + 8 <= n; i += 8) {
      const o = <usize>i << 2;
      const e0 = expShift4(f32x4.sub(v128.load(x + o), sh));
      const e1 = expShift4(f32x4.sub(v128.load(x + o, 16), sh));
      if (out != 0) {
        v128.store(out + o, e0);
        v128.store(out + o, e1, 16);
      }
      a0 = f32x4.add(a0, e0);
      a1 = f32x4.add(a1, e1);
    }
    if (i + 4 <= n) {
      const o = <usize>i << 2;
      const e0 = expShift4(f32x4.sub(v128.load(x + o), sh));
      if (out != 0) v128.store(out + o, e0);
      a0 = f32x4.add(a0, e0);
      i += 4;
    }
    const t = n - i;
    if (t > 0) {
      const o = <usize>i << 2;
      const e = expShift4(f32x4.sub(loadTail4(x + o, t, -Infinity), sh));
      if (out != 0) {
        store<f32>(out + o, f32x4.extract_lane(e, 0));
        if (t > 1) store<f32>(out + o, f32x4.extract_lane(e, 1), 4);
        if (t > 2) store<f32>(out + o, f32x4.extract_lane(e, 2), 8);
      }
      a1 = f32x4.add(a1, e);
      i = n;
    }
    s = hsum4(f32x4.add(a0, a1));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const e = exp1(load<f32>(x + o) - shift);
    if (out != 0) store<f32>(out + o, e);
    s += e;
  }
  return s;
}

/** p[i] = src[i]·s for a row of n (p may equal src). */
// @ts-ignore: decorator
@inline export function scaleRow(src: usize, p: usize, n: i32, s: f32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const s4 = f32x4.splat(s);
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      v128.store(p + o, f32x4.mul(v128.load(src + o), s4));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(p + o, load<f32>(src + o) * s);
  }
}
