// GEMM: C = act(alpha·op(A)·op(B) + beta·C + bias), f32, row-major.
//
// Structure (Goto/BLIS style): the k dimension is cut into KC-deep slices, m into MC-row
// blocks and n into NC-column blocks. For each (NC, KC) pair a slice of op(B) is packed
// into NR-wide column panels, for each MC block a slice of op(A) into MR-high row panels;
// a single register-blocked micro-kernel then multiplies one A panel by one B panel. The
// packing routines absorb the transposes, so all four (transA, transB) cases share the
// micro-kernel, and they zero-pad the last panels so the micro-kernel never sees a tail.
import { f32_act_forward } from './unary';

/** Rows of C per micro-tile. */
const MR: i32 = 4;
/** Columns of C per micro-tile (two f32x4 vectors). */
const NR: i32 = 8;
/**
 * Cache blocks, sized for a 48 KiB L1 and a 2 MiB L2. The loop over A panels is outside the
 * loop over B panels: one packed A panel (MR×KC, 4 KiB) stays in L1 while it sweeps the
 * packed B block (KC×NC, 256 KiB) streamed from L2, and when the sweep ends on the last k
 * slice its MR rows of C are final, so the activation runs on them while they are in L1.
 * Measured: 128…512 for each block size all land within noise of each other on this
 * machine (L2 holds both packed blocks); 256 keeps the workspace at 512 KiB.
 */
const KC: i32 = 256;
const MC: i32 = 256;
const NC: i32 = 256;

const PACK_A_BYTES: i32 = MC * KC * 4;
const PACK_B_BYTES: i32 = KC * NC * 4;
/** Spill area for one micro-tile, used by edge tiles and by the scalar build. */
const TILE_BYTES: i32 = MR * NR * 4;

/** Bytes of scratch {@link f32_gemm} needs at `work` (constant, 16-byte multiple). */
export function f32_gemm_workspace_bytes(): i32 {
  return PACK_A_BYTES + PACK_B_BYTES + TILE_BYTES;
}

/**
 * C = act(alpha·op(A)·op(B) + beta·C + bias), all matrices row-major f32.
 *
 * - op(A) is m×k: without `transA` A is stored m×k (lda ≥ k), with it A is stored k×m
 *   (lda ≥ m). op(B) is k×n: without `transB` B is stored k×n (ldb ≥ n), with it n×k
 *   (ldb ≥ k). C is m×n with ldc ≥ n. Columns past the logical width are never touched.
 * - `a`, `b`, `c`, `bias`, `work` are byte offsets, 4-byte aligned; `work` must point at
 *   f32_gemm_workspace_bytes() bytes (16-byte aligned is fastest). Counts are elements.
 * - beta == 0: C is only written, never read (it may hold NaN). `bias` = 0 means none,
 *   otherwise n floats added to every row. `act` is an activation code of
 *   f32_act_forward (0 = identity, no call), applied to each finished row segment of C.
 * - Any m, n, k ≥ 0: m == 0 or n == 0 touches nothing; k == 0 gives C = act(beta·C + bias).
 *   Tails of m and n are handled inside the packed panels; no size has to be a multiple of
 *   the tile.
 * - C must not overlap A, B, bias or work; A and B may overlap each other (read only).
 *
 * Summation order: k is summed in KC slices; each slice is accumulated in f32 in order and
 * then added to C, so results differ from a naive dot product only by rounding.
 */
export function f32_gemm(
  transA: i32, transB: i32, m: i32, n: i32, k: i32,
  alpha: f32, a: usize, lda: i32, b: usize, ldb: i32,
  beta: f32, c: usize, ldc: i32,
  bias: usize, act: i32, actParam: f32, work: usize,
): void {
  if (m <= 0 || n <= 0) return;
  if (k <= 0) {
    f32_gemm_scale_rows(m, n, beta, c, ldc, bias, act, actParam);
    return;
  }
  const packA = work;
  const packB = work + <usize>PACK_A_BYTES;
  const tile = packB + <usize>PACK_B_BYTES;

  // Split each dimension into equal blocks rather than full blocks plus a sliver, so e.g.
  // k = 784 runs as 4×196 instead of 3×256 + 16 (a thin slice pays packing for little work).
  const kBlocks = (k + KC - 1) / KC;
  const kcStep = (k + kBlocks - 1) / kBlocks;
  const mBlocks = (m + MC - 1) / MC;
  const mcStep = roundUp((m + mBlocks - 1) / mBlocks, MR);
  const nBlocks = (n + NC - 1) / NC;
  const ncStep = roundUp((n + nBlocks - 1) / nBlocks, NR);

  for (let jc = 0; jc < n; jc += ncStep) {
    const nc = min(ncStep, n - jc);
    for (let pc = 0; pc < k; pc += kcStep) {
      const kc = min(kcStep, k - pc);
      // Only the first k slice sees the caller's beta; later slices accumulate into C.
      const sliceBeta: f32 = pc == 0 ? beta : 1;
      const lastSlice = pc + kc >= k;
      const sliceBias: usize = lastSlice ? bias : 0;
      if (transB) f32_gemm_pack_b_t(b, ldb, pc, jc, kc, nc, packB);
      else f32_gemm_pack_b_n(b, ldb, pc, jc, kc, nc, packB);

      for (let ic = 0; ic < m; ic += mcStep) {
        const mc = min(mcStep, m - ic);
        if (transA) f32_gemm_pack_a_t(a, lda, ic, pc, mc, kc, packA);
        else f32_gemm_pack_a_n(a, lda, ic, pc, mc, kc, packA);

        for (let ir = 0; ir < mc; ir += MR) {
          const mr = min(MR, mc - ir);
          const pa = packA + (<usize>(ir * kc) << 2);
          const cRow = c + (<usize>((ic + ir) * ldc + jc) << 2);
          for (let jr = 0; jr < nc; jr += NR) {
            const nr = min(NR, nc - jr);
            const pb = packB + (<usize>(jr * kc) << 2);
            const cTile = cRow + (<usize>jr << 2);
            const tileBias: usize = sliceBias != 0 ? sliceBias + (<usize>(jc + jr) << 2) : 0;
            if (ASC_FEATURE_SIMD) {
              f32_gemm_4x8_simd(kc, pa, pb, cTile, ldc, mr, nr, alpha, sliceBeta, tileBias, tile);
            } else {
              f32_gemm_4x8_scalar(kc, pa, pb, tile);
              f32_gemm_store_tile(tile, cTile, ldc, mr, nr, alpha, sliceBeta, tileBias);
            }
          }
          // These mr rows of the nc-wide block are final now and still in L1.
          if (lastSlice && act != 0) {
            for (let r = 0; r < mr; r++) {
              const row = cRow + (<usize>(r * ldc) << 2);
              f32_act_forward(act, actParam, row, row, nc);
            }
          }
        }
      }
    }
  }
}

// @ts-ignore: decorator
@inline function roundUp(x: i32, to: i32): i32 {
  return (x + to - 1) / to * to;
}

/** k == 0: C = act(beta·C + bias), row by row. */
function f32_gemm_scale_rows(m: i32, n: i32, beta: f32, c: usize, ldc: i32, bias: usize, act: i32, actParam: f32): void {
  for (let i = 0; i < m; i++) {
    const row = c + (<usize>(i * ldc) << 2);
    for (let j = 0; j < n; j++) {
      const p = row + (<usize>j << 2);
      // beta == 0 must not read C, which may be NaN.
      let v: f32 = beta != 0 ? beta * load<f32>(p) : 0;
      if (bias != 0) v += load<f32>(bias + (<usize>j << 2));
      store<f32>(p, v);
    }
    if (act != 0) f32_act_forward(act, actParam, row, row, n);
  }
}

/**
 * Micro-kernel: one MR×NR tile, C = alpha·(A panel · B panel) + beta·C + bias.
 * pa: kc groups of 4 floats (one per row), pb: kc groups of 8 floats (one per column).
 * 8 accumulators + 2 B vectors + 1 broadcast fit V8's 16 xmm registers without spills.
 * Full tiles are written straight from registers; edge tiles go through `tile` so that
 * only the valid mr×nr corner of C is touched.
 */
function f32_gemm_4x8_simd(
  kc: i32, pa: usize, pb: usize, c: usize, ldc: i32, mr: i32, nr: i32,
  alpha: f32, beta: f32, bias: usize, tile: usize,
): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  // One k step per trip: with two, V8 hoists both steps' loads and spills accumulators.
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(pb), b1 = v128.load(pb, 16);
    let av = v128.load32_splat(pa);
    c00 = madd(av, b0, c00); c01 = madd(av, b1, c01);
    av = v128.load32_splat(pa, 4);
    c10 = madd(av, b0, c10); c11 = madd(av, b1, c11);
    av = v128.load32_splat(pa, 8);
    c20 = madd(av, b0, c20); c21 = madd(av, b1, c21);
    av = v128.load32_splat(pa, 12);
    c30 = madd(av, b0, c30); c31 = madd(av, b1, c31);
    pa += 16; pb += 32;
  }

  if (mr < MR || nr < NR) {
    v128.store(tile, c00, 0); v128.store(tile, c01, 16);
    v128.store(tile, c10, 32); v128.store(tile, c11, 48);
    v128.store(tile, c20, 64); v128.store(tile, c21, 80);
    v128.store(tile, c30, 96); v128.store(tile, c31, 112);
    f32_gemm_store_tile(tile, c, ldc, mr, nr, alpha, beta, bias);
    return;
  }
  const va = f32x4.splat(alpha);
  c00 = f32x4.mul(c00, va); c01 = f32x4.mul(c01, va);
  c10 = f32x4.mul(c10, va); c11 = f32x4.mul(c11, va);
  c20 = f32x4.mul(c20, va); c21 = f32x4.mul(c21, va);
  c30 = f32x4.mul(c30, va); c31 = f32x4.mul(c31, va);
  const rowBytes = <usize>ldc << 2;
  const c0 = c, c1 = c0 + rowBytes, c2 = c1 + rowBytes, c3 = c2 + rowBytes;
  if (beta == 1) {
    c00 = f32x4.add(c00, v128.load(c0)); c01 = f32x4.add(c01, v128.load(c0, 16));
    c10 = f32x4.add(c10, v128.load(c1)); c11 = f32x4.add(c11, v128.load(c1, 16));
    c20 = f32x4.add(c20, v128.load(c2)); c21 = f32x4.add(c21, v128.load(c2, 16));
    c30 = f32x4.add(c30, v128.load(c3)); c31 = f32x4.add(c31, v128.load(c3, 16));
  } else if (beta != 0) {
    const vb = f32x4.splat(beta);
    c00 = f32x4.add(c00, f32x4.mul(vb, v128.load(c0))); c01 = f32x4.add(c01, f32x4.mul(vb, v128.load(c0, 16)));
    c10 = f32x4.add(c10, f32x4.mul(vb, v128.load(c1))); c11 = f32x4.add(c11, f32x4.mul(vb, v128.load(c1, 16)));
    c20 = f32x4.add(c20, f32x4.mul(vb, v128.load(c2))); c21 = f32x4.add(c21, f32x4.mul(vb, v128.load(c2, 16)));
    c30 = f32x4.add(c30, f32x4.mul(vb, v128.load(c3))); c31 = f32x4.add(c31, f32x4.mul(vb, v128.load(c3, 16)));
  }
  if (bias != 0) {
    const v0 = v128.load(bias), v1 = v128.load(bias, 16);
    c00 = f32x4.add(c00, v0); c01 = f32x4.add(c01, v1);
    c10 = f32x4.add(c10, v0); c11 = f32x4.add(c11, v1);
    c20 = f32x4.add(c20, v0); c21 = f32x4.add(c21, v1);
    c30 = f32x4.add(c30, v0); c31 = f32x4.add(c31, v1);
  }
  v128.store(c0, c00); v128.store(c0, c01, 16);
  v128.store(c1, c10); v128.store(c1, c11, 16);
  v128.store(c2, c20); v128.store(c2, c21, 16);
  v128.store(c3, c30); v128.store(c3, c31, 16);
}

/**
 * acc + a·b per lane, the micro-kernel's only arithmetic in the k loop. The relaxed build
 * (`--enable relaxed-simd`) uses f32x4.relaxed_madd, which the engine may or may not fuse
 * (one rounding instead of two): results then differ from the SIMD build by rounding only,
 * but stay the same across thread counts and tile positions on one machine, because every
 * element of C goes through this same sequence. The epilogue (alpha, beta, bias) stays
 * unfused in every build so edge tiles (f32_gemm_store_tile) round like full ones.
 */
// @ts-ignore: decorator
@inline function madd(a: v128, b: v128, acc: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, acc);
  return f32x4.add(acc, f32x4.mul(a, b));
}

/**
 * Scalar micro-kernel for the build without SIMD: the same packed panels, the full MR×NR
 * product written to `tile` (row-major, NR floats per row). Done as two 4×4 halves so
 * the 16 accumulators stay in registers.
 */
function f32_gemm_4x8_scalar(kc: i32, pa: usize, pb: usize, tile: usize): void {
  f32_gemm_4x4_scalar(kc, pa, pb, tile);
  f32_gemm_4x4_scalar(kc, pa, pb + 16, tile + 16);
}

function f32_gemm_4x4_scalar(kc: i32, pa: usize, pb: usize, tile: usize): void {
  let c00: f32 = 0, c01: f32 = 0, c02: f32 = 0, c03: f32 = 0;
  let c10: f32 = 0, c11: f32 = 0, c12: f32 = 0, c13: f32 = 0;
  let c20: f32 = 0, c21: f32 = 0, c22: f32 = 0, c23: f32 = 0;
  let c30: f32 = 0, c31: f32 = 0, c32: f32 = 0, c33: f32 = 0;
  for (let p = 0; p < kc; p++) {
    const b0 = load<f32>(pb), b1 = load<f32>(pb, 4), b2 = load<f32>(pb, 8), b3 = load<f32>(pb, 12);
    let av = load<f32>(pa);
    c00 += av * b0; c01 += av * b1; c02 += av * b2; c03 += av * b3;
    av = load<f32>(pa, 4);
    c10 += av * b0; c11 += av * b1; c12 += av * b2; c13 += av * b3;
    av = load<f32>(pa, 8);
    c20 += av * b0; c21 += av * b1; c22 += av * b2; c23 += av * b3;
    av = load<f32>(pa, 12);
    c30 += av * b0; c31 += av * b1; c32 += av * b2; c33 += av * b3;
    pa += 16; pb += 32;
  }
  store<f32>(tile, c00, 0); store<f32>(tile, c01, 4); store<f32>(tile, c02, 8); store<f32>(tile, c03, 12);
  store<f32>(tile, c10, 32); store<f32>(tile, c11, 36); store<f32>(tile, c12, 40); store<f32>(tile, c13, 44);
  store<f32>(tile, c20, 64); store<f32>(tile, c21, 68); store<f32>(tile, c22, 72); store<f32>(tile, c23, 76);
  store<f32>(tile, c30, 96); store<f32>(tile, c31, 100); store<f32>(tile, c32, 104); store<f32>(tile, c33, 108);
}

/**
 * C[0..mr, 0..nr] = alpha·tile + beta·C + bias, element by element, in the same operation
 * order as the SIMD path so both builds round alike. beta == 0 never reads C.
 */
function f32_gemm_store_tile(
  tile: usize, c: usize, ldc: i32, mr: i32, nr: i32, alpha: f32, beta: f32, bias: usize,
): void {
  for (let r = 0; r < mr; r++) {
    const src = tile + (<usize>(r * NR) << 2);
    const dst = c + (<usize>(r * ldc) << 2);
    for (let j = 0; j < nr; j++) {
      const off = <usize>j << 2;
      let v = alpha * load<f32>(src + off);
      if (beta == 1) v += load<f32>(dst + off);
      else if (beta != 0) v += beta * load<f32>(dst + off);
      if (bias != 0) v += load<f32>(bias + off);
      store<f32>(dst + off, v);
    }
  }
}

// ---- Packing -------------------------------------------------------------------------
// Packed A: ceil(mc/MR) panels, each kc groups of MR floats (rows ir..ir+3 at one k).
// Packed B: ceil(nc/NR) panels, each kc groups of NR floats (columns jr..jr+7 at one k).
// Rows/columns past the matrix edge are written as zeros.

/** A stored m×k (A[i,p] at a[i·lda + p]): panels gather four rows, a 4×4 transpose per step. */
function f32_gemm_pack_a_n(a: usize, lda: i32, i0: i32, p0: i32, mc: i32, kc: i32, dst: usize): void {
  const rowBytes = <usize>lda << 2;
  for (let ir = 0; ir < mc; ir += MR) {
    const mr = min(MR, mc - ir);
    const src = a + (<usize>((i0 + ir) * lda + p0) << 2);
    let p = 0;
    if (ASC_FEATURE_SIMD) {
      if (mr == MR) {
        const r1 = src + rowBytes, r2 = r1 + rowBytes, r3 = r2 + rowBytes;
        for (; p + 4 <= kc; p += 4) {
          const off = <usize>p << 2;
          const x0 = v128.load(src + off), x1 = v128.load(r1 + off);
          const x2 = v128.load(r2 + off), x3 = v128.load(r3 + off);
          const t0 = i32x4.shuffle(x0, x1, 0, 4, 1, 5), t1 = i32x4.shuffle(x0, x1, 2, 6, 3, 7);
          const t2 = i32x4.shuffle(x2, x3, 0, 4, 1, 5), t3 = i32x4.shuffle(x2, x3, 2, 6, 3, 7);
          const out = dst + (<usize>p << 4);
          v128.store(out, i32x4.shuffle(t0, t2, 0, 1, 4, 5), 0);
          v128.store(out, i32x4.shuffle(t0, t2, 2, 3, 6, 7), 16);
          v128.store(out, i32x4.shuffle(t1, t3, 0, 1, 4, 5), 32);
          v128.store(out, i32x4.shuffle(t1, t3, 2, 3, 6, 7), 48);
        }
      }
    }
    for (; p < kc; p++) {
      const out = dst + (<usize>p << 4);
      for (let r = 0; r < MR; r++) {
        const v: f32 = r < mr ? load<f32>(src + <usize>r * rowBytes + (<usize>p << 2)) : 0;
        store<f32>(out + (<usize>r << 2), v);
      }
    }
    dst += <usize>(kc * MR) << 2;
  }
}

/** A stored k×m (A[i,p] at a[p·lda + i]): each k step of a panel is four adjacent floats. */
function f32_gemm_pack_a_t(a: usize, lda: i32, i0: i32, p0: i32, mc: i32, kc: i32, dst: usize): void {
  const rowBytes = <usize>lda << 2;
  for (let ir = 0; ir < mc; ir += MR) {
    const mr = min(MR, mc - ir);
    let src = a + (<usize>(p0 * lda + i0 + ir) << 2);
    if (mr == MR) {
      for (let p = 0; p < kc; p++) {
        if (ASC_FEATURE_SIMD) {
          v128.store(dst, v128.load(src));
        } else {
          store<f32>(dst, load<f32>(src), 0); store<f32>(dst, load<f32>(src, 4), 4);
          store<f32>(dst, load<f32>(src, 8), 8); store<f32>(dst, load<f32>(src, 12), 12);
        }
        src += rowBytes; dst += 16;
      }
    } else {
      for (let p = 0; p < kc; p++) {
        for (let r = 0; r < MR; r++) {
          const v: f32 = r < mr ? load<f32>(src + (<usize>r << 2)) : 0;
          store<f32>(dst + (<usize>r << 2), v);
        }
        src += rowBytes; dst += 16;
      }
    }
  }
}

/** B stored k×n (B[p,j] at b[p·ldb + j]): each k step of a panel is eight adjacent floats. */
function f32_gemm_pack_b_n(b: usize, ldb: i32, p0: i32, j0: i32, kc: i32, nc: i32, dst: usize): void {
  const rowBytes = <usize>ldb << 2;
  for (let jr = 0; jr < nc; jr += NR) {
    const nr = min(NR, nc - jr);
    let src = b + (<usize>(p0 * ldb + j0 + jr) << 2);
    if (nr == NR) {
      for (let p = 0; p < kc; p++) {
        if (ASC_FEATURE_SIMD) {
          v128.store(dst, v128.load(src), 0);
          v128.store(dst, v128.load(src, 16), 16);
        } else {
          for (let j = 0; j < NR; j++) store<f32>(dst + (<usize>j << 2), load<f32>(src + (<usize>j << 2)));
        }
        src += rowBytes; dst += 32;
      }
    } else {
      for (let p = 0; p < kc; p++) {
        for (let j = 0; j < NR; j++) {
          const v: f32 = j < nr ? load<f32>(src + (<usize>j << 2)) : 0;
          store<f32>(dst + (<usize>j << 2), v);
        }
        src += rowBytes; dst += 32;
      }
    }
  }
}

/** B stored n×k (B[p,j] at b[j·ldb + p]): panels gather eight rows of B, two 4×4 transposes per step. */
function f32_gemm_pack_b_t(b: usize, ldb: i32, p0: i32, j0: i32, kc: i32, nc: i32, dst: usize): void {
  const rowBytes = <usize>ldb << 2;
  for (let jr = 0; jr < nc; jr += NR) {
    const nr = min(NR, nc - jr);
    const src = b + (<usize>((j0 + jr) * ldb + p0) << 2);
    let p = 0;
    if (ASC_FEATURE_SIMD) {
      if (nr == NR) {
        for (; p + 4 <= kc; p += 4) {
          const out = dst + (<usize>p << 5);
          let s = src + (<usize>p << 2);
          for (let half = 0; half < 2; half++) {
            const x0 = v128.load(s), x1 = v128.load(s + rowBytes);
            const x2 = v128.load(s + 2 * rowBytes), x3 = v128.load(s + 3 * rowBytes);
            const t0 = i32x4.shuffle(x0, x1, 0, 4, 1, 5), t1 = i32x4.shuffle(x0, x1, 2, 6, 3, 7);
            const t2 = i32x4.shuffle(x2, x3, 0, 4, 1, 5), t3 = i32x4.shuffle(x2, x3, 2, 6, 3, 7);
            const o = out + (<usize>half << 4);
            v128.store(o, i32x4.shuffle(t0, t2, 0, 1, 4, 5), 0);
            v128.store(o, i32x4.shuffle(t0, t2, 2, 3, 6, 7), 32);
            v128.store(o, i32x4.shuffle(t1, t3, 0, 1, 4, 5), 64);
            v128.store(o, i32x4.shuffle(t1, t3, 2, 3, 6, 7), 96);
            s += 4 * rowBytes;
          }
        }
      }
    }
    for (; p < kc; p++) {
      const out = dst + (<usize>p << 5);
      for (let j = 0; j < NR; j++) {
        const v: f32 = j < nr ? load<f32>(src + <usize>j * rowBytes + (<usize>p << 2)) : 0;
        store<f32>(out + (<usize>j << 2), v);
      }
    }
    dst += <usize>(kc * NR) << 2;
  }
}
