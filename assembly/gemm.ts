// GEMM: C = act(alpha·op(A)·op(B) + beta·C + bias), f32, row-major.
//
// Structure (Goto/BLIS style): the k dimension is cut into KC-deep slices, m into MC-row
// blocks and n into NC-column blocks. For each (NC, KC) pair a slice of op(B) is packed
// into column panels (NR wide; the last one NR_HALF wide when that covers it), for each MC
// block a slice of op(A) into MR-high row panels; a register-blocked micro-kernel then
// multiplies one A panel by one B panel. The packing routines absorb the transposes, so all
// four (transA, transB) cases share the micro-kernel, and they zero-pad the last panels so
// the micro-kernel never sees a tail.
//
// op(B) can also be packed once ahead of time (f32_gemm_pack_b) and multiplied many times
// (f32_gemm_packed): a layer's weights, packed when they change rather than on every call.
// Both entries run the same blocks in the same order, so their results are bit-identical.
// With fewer than MR rows (a prediction for one sample) the rows of A are read in place by
// one-row kernels instead of being packed into zero-padded panels.
//
// A narrow C over many rows (a 25-unit layer at batch 256) is computed transposed,
// Cᵀ = op(B)ᵀ·op(A)ᵀ: op(B)ᵀ packed as A panels, op(A)ᵀ as B panels, each tile stored
// transposed (gemmTransposed). 25 rows are five full MR panels and 256 columns 32 full NR
// panels, where 25 columns in NR panels are 8+8+8+4 with 3 lanes of zeros. Each element
// is still one product sum over the same k order and KC slices and the same epilogue, so
// both routes give the same bits.
import { madd } from './floats';
import { f32_act_forward } from './unary';

/** Rows of C per micro-tile. */
const MR: i32 = 5;
/** Columns of C per micro-tile (two f32x4 vectors). */
const NR: i32 = 8;
/** Width of a last B panel holding at most this many columns (one f32x4 vector). */
const NR_HALF: i32 = 4;
/**
 * Cache blocks, sized for a 48 KiB L1 and a 1 MiB L2. The loop over A panels is outside the
 * loop over B panels: one packed A panel (MR×KC, 5 KiB) stays in L1 while it sweeps the
 * packed B block (KC×NC, 256 KiB) streamed from L2, and when the sweep ends on the last k
 * slice its MR rows of C are final, so the activation runs on them while they are in L1.
 * Measured: see bench/results/gemm-tuning-2026-11-30.md.
 */
const KC: i32 = 256;
const MC: i32 = 256;
const NC: i32 = 256;

/** An MC block rounded up to whole MR panels (the largest A block ever packed). */
const PACK_A_BYTES: i32 = ((MC + MR - 1) / MR) * MR * KC * 4;
const PACK_B_BYTES: i32 = KC * NC * 4;
/** One micro-tile's sums (MR rows of NR floats), read back by the epilogue. */
const ONE_TILE_BYTES: i32 = MR * NR * 4;
/** Room for two micro-tiles: a narrow last panel is computed for two A panels at once. */
const TILE_BYTES: i32 = (2 * ONE_TILE_BYTES + 15) & ~15;
/** C narrower than this (and with at least this many rows) may run transposed. */
const NARROW: i32 = 4 * NR;

/** Bytes of scratch {@link f32_gemm} and {@link f32_gemm_packed} need at `work` (constant, 16-byte multiple). */
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
 * then added to C, so results differ from a naive dot product only by rounding. Every
 * element goes through the same sequence whatever its tile, row count or panel width.
 */
export function f32_gemm(
  transA: i32, transB: i32, m: i32, n: i32, k: i32,
  alpha: f32, a: usize, lda: i32, b: usize, ldb: i32,
  beta: f32, c: usize, ldc: i32,
  bias: usize, act: i32, actParam: f32, work: usize,
): void {
  gemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, 0, beta, c, ldc, bias, act, actParam, work);
}

/** Bytes f32_gemm_pack_b writes for a k×n op(B) (a 16-byte multiple; 0 when n or k is 0). */
export function f32_gemm_packed_b_bytes(n: i32, k: i32): i32 {
  if (n <= 0 || k <= 0) return 0;
  return panelsBytes(n, k) + (mayTranspose(n) ? roundUp(roundUp(n, MR) * k * 4, 16) : 0);
}

/**
 * Pack op(B) (k×n; stored k×n with ldb ≥ n, or n×k with `transB` and ldb ≥ k) into `dst`,
 * f32_gemm_packed_b_bytes(n, k) bytes, 16-byte aligned, in the panel layout f32_gemm packs
 * into its workspace on every call: per NC block, per KC slice, its column panels; a narrow
 * op(B) (n < NARROW) also as the row panels of op(B)ᵀ, per KC slice, for the transposed
 * route. `dst` must not overlap B. Re-pack whenever B changes.
 */
export function f32_gemm_pack_b(transB: i32, n: i32, k: i32, b: usize, ldb: i32, dst: usize): void {
  if (n <= 0 || k <= 0) return;
  const kcStep = blockStep(k, KC, 1);
  if (mayTranspose(n)) {
    const packedT = dst + <usize>panelsBytes(n, k);
    for (let pc = 0; pc < k; pc += kcStep) packBAsA(transB, b, ldb, pc, n, min(kcStep, k - pc), packedT + transposedOffset(pc, n));
  }
  const ncStep = blockStep(n, NC, NR);
  for (let jc = 0; jc < n; jc += ncStep) {
    const nc = min(ncStep, n - jc);
    for (let pc = 0; pc < k; pc += kcStep) {
      const kc = min(kcStep, k - pc);
      packB(transB, b, ldb, pc, jc, kc, nc, dst + packedOffset(jc, pc, k, nc));
    }
  }
}

/**
 * f32_gemm with op(B) packed ahead by f32_gemm_pack_b (from the same n and k): the same
 * contract and bit for bit the same result as f32_gemm on the B that was packed, without
 * packing it again. `packed` must not overlap C.
 */
export function f32_gemm_packed(
  transA: i32, m: i32, n: i32, k: i32,
  alpha: f32, a: usize, lda: i32, packed: usize,
  beta: f32, c: usize, ldc: i32,
  bias: usize, act: i32, actParam: f32, work: usize,
): void {
  gemm(transA, 0, m, n, k, alpha, a, lda, 0, 0, packed, beta, c, ldc, bias, act, actParam, work);
}

/** Both entries: `packed` != 0 is op(B) already packed, else B is packed per block into `work`. */
function gemm(
  transA: i32, transB: i32, m: i32, n: i32, k: i32,
  alpha: f32, a: usize, lda: i32, b: usize, ldb: i32, packed: usize,
  beta: f32, c: usize, ldc: i32,
  bias: usize, act: i32, actParam: f32, work: usize,
): void {
  if (m <= 0 || n <= 0) return;
  if (k <= 0) {
    f32_gemm_scale_rows(m, n, beta, c, ldc, bias, act, actParam);
    return;
  }
  if (runsTransposed(m, n)) {
    const packedT = packed != 0 ? packed + <usize>panelsBytes(n, k) : 0;
    gemmTransposed(transA, transB, m, n, k, alpha, a, lda, b, ldb, packedT, beta, c, ldc, bias, act, actParam, work);
    return;
  }
  const packA = work;
  const tile = work + <usize>(PACK_A_BYTES + PACK_B_BYTES);
  const kcStep = blockStep(k, KC, 1);
  const mcStep = blockStep(m, MC, MR);
  const ncStep = blockStep(n, NC, NR);
  // Fewer rows than a tile: read A in place, one row at a time (no zero rows computed).
  const byRows = ASC_FEATURE_SIMD && m < MR && !transA;

  for (let jc = 0; jc < n; jc += ncStep) {
    const nc = min(ncStep, n - jc);
    for (let pc = 0; pc < k; pc += kcStep) {
      const kc = min(kcStep, k - pc);
      // Only the first k slice sees the caller's beta; later slices accumulate into C.
      const sliceBeta: f32 = pc == 0 ? beta : 1;
      const lastSlice = pc + kc >= k;
      const sliceBias: usize = lastSlice ? bias : 0;
      // The identity epilogue: full tiles of the SIMD build go straight into C.
      const plain = ASC_FEATURE_SIMD && alpha == 1 && sliceBeta == 0 && sliceBias == 0;
      let packB_ = packed + packedOffset(jc, pc, k, nc);
      if (packed == 0) {
        packB_ = work + <usize>PACK_A_BYTES;
        packB(transB, b, ldb, pc, jc, kc, nc, packB_);
      }
      if (byRows) {
        for (let i = 0; i < m; i++) {
          const cRow = c + (<usize>(i * ldc + jc) << 2);
          const aRow = a + (<usize>(i * lda + pc) << 2);
          f32_gemm_row_simd(kc, aRow, packB_, cRow, nc, alpha, sliceBeta, sliceBias != 0 ? sliceBias + (<usize>jc << 2) : 0, tile);
          if (lastSlice && act != 0) f32_act_forward(act, actParam, cRow, cRow, nc);
        }
        continue;
      }

      for (let ic = 0; ic < m; ic += mcStep) {
        const mc = min(mcStep, m - ic);
        if (transA) f32_gemm_pack_a_t(a, lda, ic, pc, mc, kc, packA);
        else f32_gemm_pack_a_n(a, lda, ic, pc, mc, kc, packA);

        for (let ir = 0; ir < mc; ir += MR) {
          const mr = min(MR, mc - ir);
          const pa = packA + (<usize>(ir * kc) << 2);
          const cRow = c + (<usize>((ic + ir) * ldc + jc) << 2);
          // A narrow last panel (nr ≤ NR_HALF) is done for this A panel and the next together
          // (at even panels): alone its 5 sums wait on the add latency every k step.
          const paired = (ir / MR & 1) == 0 && ir + MR < mc;
          for (let jr = 0; jr < nc; jr += NR) {
            const nr = min(NR, nc - jr);
            const pb = packB_ + (<usize>(jr * kc) << 2);
            const cTile = cRow + (<usize>jr << 2);
            const tileBias: usize = sliceBias != 0 ? sliceBias + (<usize>(jc + jr) << 2) : 0;
            if (plain && mr == MR && nr == NR) {
              f32_gemm_ukernel_5x8_into(kc, pa, pb, cTile, ldc);
              continue;
            }
            if (nr > NR_HALF) {
              f32_gemm_ukernel_5x8(kc, pa, pb, tile);
            } else if (paired) {
              f32_gemm_ukernel_10x4(kc, pa, pb, tile);
              const next = cTile + (<usize>(MR * ldc) << 2);
              f32_gemm_store_tile(tile + ONE_TILE_BYTES, next, ldc, min(MR, mc - ir - MR), nr, alpha, sliceBeta, tileBias);
            } else if ((ir / MR & 1) == 1) {
              continue; // done with the panel before
            } else {
              f32_gemm_ukernel_5x4(kc, pa, pb, tile);
            }
            f32_gemm_store_tile(tile, cTile, ldc, mr, nr, alpha, sliceBeta, tileBias);
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

/**
 * C computed as Cᵀ = op(B)ᵀ·op(A)ᵀ (see the top of the file), for n < NARROW: op(B)ᵀ (n
 * rows, one A block) is packed per KC slice unless `packedT` holds it (f32_gemm_pack_b),
 * op(A)ᵀ per (NC, KC) block as column panels. The loop over B panels is outside the loop
 * over A panels, so when the sweep ends on the last k slice NR whole rows of C are final
 * and the activation runs on them, as the other route does per MR rows.
 */
function gemmTransposed(
  transA: i32, transB: i32, m: i32, n: i32, k: i32,
  alpha: f32, a: usize, lda: i32, b: usize, ldb: i32, packedT: usize,
  beta: f32, c: usize, ldc: i32,
  bias: usize, act: i32, actParam: f32, work: usize,
): void {
  const packBT = work + <usize>PACK_A_BYTES;
  const tile = packBT + <usize>PACK_B_BYTES;
  const kcStep = blockStep(k, KC, 1);
  const ncStep = blockStep(m, NC, NR);
  for (let jc = 0; jc < m; jc += ncStep) {
    const nc = min(ncStep, m - jc);
    for (let pc = 0; pc < k; pc += kcStep) {
      const kc = min(kcStep, k - pc);
      const sliceBeta: f32 = pc == 0 ? beta : 1;
      const lastSlice = pc + kc >= k;
      const sliceBias: usize = lastSlice ? bias : 0;
      let packAT = packedT + transposedOffset(pc, n);
      if (packedT == 0) {
        packAT = work;
        packBAsA(transB, b, ldb, pc, n, kc, packAT);
      }
      // op(A)ᵀ is k×m: stored m×k (no transA) it is the transposed case of packB.
      packB(transA ? 0 : 1, a, lda, pc, jc, kc, nc, packBT);
      for (let jr = 0; jr < nc; jr += NR) {
        const nr = min(NR, nc - jr);
        const pb = packBT + (<usize>(jr * kc) << 2);
        const cRows = c + (<usize>((jc + jr) * ldc) << 2);
        for (let ir = 0; ir < n; ir += MR) {
          const pa = packAT + (<usize>(ir * kc) << 2);
          if (nr > NR_HALF) f32_gemm_ukernel_5x8(kc, pa, pb, tile);
          else f32_gemm_ukernel_5x4(kc, pa, pb, tile);
          const tileBias: usize = sliceBias != 0 ? sliceBias + (<usize>ir << 2) : 0;
          f32_gemm_store_tile_transposed(tile, cRows + (<usize>ir << 2), ldc, min(MR, n - ir), nr, alpha, sliceBeta, tileBias);
        }
        if (lastSlice && act != 0) {
          for (let r = 0; r < nr; r++) {
            const row = cRows + (<usize>(r * ldc) << 2);
            f32_act_forward(act, actParam, row, row, n);
          }
        }
      }
    }
  }
}

/** Whether an m×n C runs transposed: narrow, tall, and fewer padded lanes that way. */
// @ts-ignore: decorator
@inline function runsTransposed(m: i32, n: i32): bool {
  return mayTranspose(n) && m >= NARROW && roundUp(n, MR) * panelledWidth(m) < panelledWidth(n) * roundUp(m, MR);
}

/** Whether a C of n columns can run transposed for some m (then pack_b also packs op(B)ᵀ). */
// @ts-ignore: decorator
@inline function mayTranspose(n: i32): bool {
  return n < NARROW && roundUp(n, MR) < panelledWidth(n);
}

/**
 * Pack the kc×n slice of op(B) at row p0 as the MR-row panels of op(B)ᵀ (n×kc): stored k×n,
 * op(B)ᵀ is the transposed case of packing A; stored n×k (`transB`), the plain one.
 */
function packBAsA(transB: i32, b: usize, ldb: i32, p0: i32, n: i32, kc: i32, dst: usize): void {
  if (transB) f32_gemm_pack_a_n(b, ldb, 0, p0, n, kc, dst);
  else f32_gemm_pack_a_t(b, ldb, 0, p0, n, kc, dst);
}

/** Bytes of a packed op(B)'s column panels, all NC blocks. */
// @ts-ignore: decorator
@inline function panelsBytes(n: i32, k: i32): i32 {
  return panelledWidth(n) * k * 4;
}

/** Byte offset of KC slice pc in the packed op(B)ᵀ of n rows. */
// @ts-ignore: decorator
@inline function transposedOffset(pc: i32, n: i32): usize {
  return <usize>(roundUp(n, MR) * pc) << 2;
}

/**
 * The step of a dimension of `size` cut into equal blocks of at most `limit` (rounded up to
 * `align`), rather than full blocks plus a sliver: k = 784 runs as 4×196 instead of
 * 3×256 + 16 (a thin slice pays packing for little work).
 */
// @ts-ignore: decorator
@inline function blockStep(size: i32, limit: i32, align: i32): i32 {
  const blocks = (size + limit - 1) / limit;
  return roundUp((size + blocks - 1) / blocks, align);
}

// @ts-ignore: decorator
@inline function roundUp(x: i32, to: i32): i32 {
  return (x + to - 1) / to * to;
}

/** Floats per k step of an nc-wide block's panels together: NR per full panel, NR_HALF or NR for the last. */
// @ts-ignore: decorator
@inline function panelledWidth(nc: i32): i32 {
  const tail = nc & (NR - 1);
  return nc - tail + (tail == 0 ? 0 : tail <= NR_HALF ? NR_HALF : NR);
}

/**
 * Byte offset of block (jc, pc) in a packed op(B) of depth k: the NC blocks before it are full
 * (jc·k floats, ncStep being a multiple of NR), then the pc rows of its own earlier slices.
 */
// @ts-ignore: decorator
@inline function packedOffset(jc: i32, pc: i32, k: i32, nc: i32): usize {
  return <usize>(jc * k + pc * panelledWidth(nc)) << 2;
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

// The micro-kernels are exported (as build-neutral wrappers) for the benchmarks, and so that
// the compiler keeps them out of line: inlined into gemm(), whose loop state (alpha, beta,
// counters) stays live across them, V8 ran out of xmm registers and the 5×8 loop spilled,
// at half speed.

/** MR×NR product of packed panels into `tile` (see f32_gemm_5x8_simd); kernels never allocate. */
export function f32_gemm_ukernel_5x8(kc: i32, pa: usize, pb: usize, tile: usize): void {
  if (ASC_FEATURE_SIMD) f32_gemm_5x8_simd(kc, pa, pb, tile, NR);
  else f32_gemm_5x8_scalar(kc, pa, pb, NR, tile);
}

/**
 * The 5×8 product stored straight into C (`ldc` floats per row), for a full tile whose
 * epilogue is the identity (alpha 1, beta 0, no bias): 1·sum is exact, so C gets the bits the
 * tile and f32_gemm_store_tile would give it, without the tile's store, reload and scaling —
 * a fifth of the time per tile when k is short (a convolution's dZ·Wᵀ over 16 filters). SIMD build only.
 */
export function f32_gemm_ukernel_5x8_into(kc: i32, pa: usize, pb: usize, c: usize, ldc: i32): void {
  if (ASC_FEATURE_SIMD) f32_gemm_5x8_simd(kc, pa, pb, c, ldc);
}

/** MR×NR_HALF product of an A panel and a 4-wide last B panel into `tile` (see f32_gemm_5x4_simd). */
export function f32_gemm_ukernel_5x4(kc: i32, pa: usize, pb: usize, tile: usize): void {
  if (ASC_FEATURE_SIMD) f32_gemm_5x4_simd(kc, pa, pb, tile);
  else f32_gemm_5x8_scalar(kc, pa, pb, NR_HALF, tile);
}

/**
 * Two A panels (`pa` and the kc·MR floats after it) times a 4-wide last B panel into the
 * first 4 columns of two tiles (`tile`, then `tile` + MR·NR floats): 10 independent sums per
 * k step instead of 5, each element summed exactly as f32_gemm_ukernel_5x4 sums it.
 */
export function f32_gemm_ukernel_10x4(kc: i32, pa: usize, pb: usize, tile: usize): void {
  const next = pa + (<usize>(kc * MR) << 2);
  if (ASC_FEATURE_SIMD) {
    f32_gemm_10x4_simd(kc, pa, next, pb, tile);
  } else {
    f32_gemm_5x8_scalar(kc, pa, pb, NR_HALF, tile);
    f32_gemm_5x8_scalar(kc, next, pb, NR_HALF, tile + ONE_TILE_BYTES);
  }
}

/**
 * One row of A (kc floats at `a`, in place) times four full B panels `panelBytes` apart, the
 * 32 sums into `tile` panel by panel (see f32_gemm_row_simd; the scalar build never calls it).
 */
export function f32_gemm_ukernel_1x32(kc: i32, a: usize, pb: usize, panelBytes: usize, tile: usize): void {
  if (ASC_FEATURE_SIMD) f32_gemm_1x32_simd(kc, a, pb, panelBytes, tile);
}

/**
 * Micro-kernel: the MR×NR product of one A panel and one B panel, written row by row to `dst`
 * with `ld` floats per row (the tile: NR; C itself for f32_gemm_ukernel_5x8_into). pa: kc
 * groups of 5 floats (one per row), pb: kc groups of 8 floats (one per column). 10
 * accumulators + 2 B vectors + 1 broadcast + 1 product fit V8's 15 allocatable xmm registers
 * without spills as long as nothing else is live across the loop, which is why the epilogue
 * (alpha, beta, bias) is a separate step reading the tile back: with alpha and beta held in
 * registers through the loop it spilled. 6×8 spills; 4×8 runs at ~80% of 5×8
 * (bench/results/gemm-tuning-2026-11-30.md).
 */
function f32_gemm_5x8_simd(kc: i32, pa: usize, pb: usize, dst: usize, ld: i32): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  let c40 = f32x4.splat(0), c41 = f32x4.splat(0);
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
    av = v128.load32_splat(pa, 16);
    c40 = madd(av, b0, c40); c41 = madd(av, b1, c41);
    pa += 20; pb += 32;
  }
  const row = <usize>ld << 2;
  v128.store(dst, c00); v128.store(dst, c01, 16);
  dst += row;
  v128.store(dst, c10); v128.store(dst, c11, 16);
  dst += row;
  v128.store(dst, c20); v128.store(dst, c21, 16);
  dst += row;
  v128.store(dst, c30); v128.store(dst, c31, 16);
  dst += row;
  v128.store(dst, c40); v128.store(dst, c41, 16);
}

/**
 * Micro-kernel for a last panel of at most NR_HALF columns (pb: kc groups of 4 floats): an
 * MR×4 product into the first 4 columns of `tile`, so a layer of 10 or 25 units does not
 * multiply a half-empty 8-wide panel.
 */
function f32_gemm_5x4_simd(kc: i32, pa: usize, pb: usize, tile: usize): void {
  let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0), c3 = f32x4.splat(0), c4 = f32x4.splat(0);
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(pb);
    c0 = madd(v128.load32_splat(pa), b0, c0);
    c1 = madd(v128.load32_splat(pa, 4), b0, c1);
    c2 = madd(v128.load32_splat(pa, 8), b0, c2);
    c3 = madd(v128.load32_splat(pa, 12), b0, c3);
    c4 = madd(v128.load32_splat(pa, 16), b0, c4);
    pa += 20; pb += 16;
  }
  v128.store(tile, c0, 0); v128.store(tile, c1, 32); v128.store(tile, c2, 64);
  v128.store(tile, c3, 96); v128.store(tile, c4, 128);
}

/** The 5×4 kernel for two A panels `pa` and `pa2` at once (see f32_gemm_ukernel_10x4): 10 accumulators + B + broadcast + product, 13 xmm. */
function f32_gemm_10x4_simd(kc: i32, pa: usize, pa2: usize, pb: usize, tile: usize): void {
  let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0), c3 = f32x4.splat(0), c4 = f32x4.splat(0);
  let c5 = f32x4.splat(0), c6 = f32x4.splat(0), c7 = f32x4.splat(0), c8 = f32x4.splat(0), c9 = f32x4.splat(0);
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(pb);
    c0 = madd(v128.load32_splat(pa), b0, c0);
    c1 = madd(v128.load32_splat(pa, 4), b0, c1);
    c2 = madd(v128.load32_splat(pa, 8), b0, c2);
    c3 = madd(v128.load32_splat(pa, 12), b0, c3);
    c4 = madd(v128.load32_splat(pa, 16), b0, c4);
    c5 = madd(v128.load32_splat(pa2), b0, c5);
    c6 = madd(v128.load32_splat(pa2, 4), b0, c6);
    c7 = madd(v128.load32_splat(pa2, 8), b0, c7);
    c8 = madd(v128.load32_splat(pa2, 12), b0, c8);
    c9 = madd(v128.load32_splat(pa2, 16), b0, c9);
    pa += 20; pa2 += 20; pb += 16;
  }
  v128.store(tile, c0, 0); v128.store(tile, c1, 32); v128.store(tile, c2, 64);
  v128.store(tile, c3, 96); v128.store(tile, c4, 128);
  v128.store(tile, c5, 160); v128.store(tile, c6, 192); v128.store(tile, c7, 224);
  v128.store(tile, c8, 256); v128.store(tile, c9, 288);
}

/**
 * One row of C over an nc-wide block of packed B, reading the kc floats of A at `a` in place:
 * the path for m < MR (a prediction for a few samples), where packing A would compute MR − m
 * rows of zeros. Four full panels at a time (8 independent accumulators hide the add
 * latency), then one panel at a time; each element sums in the same order as in a tile.
 */
function f32_gemm_row_simd(
  kc: i32, a: usize, pb: usize, c: usize, nc: i32, alpha: f32, beta: f32, bias: usize, tile: usize,
): void {
  const panelBytes = <usize>(kc * NR) << 2;
  let jr = 0;
  for (; jr + 4 * NR <= nc; jr += 4 * NR) {
    f32_gemm_ukernel_1x32(kc, a, pb, panelBytes, tile);
    for (let q = 0; q < 4; q++) {
      const j = jr + q * NR;
      f32_gemm_store_tile(tile + (<usize>(q * NR) << 2), c + (<usize>j << 2), 0, 1, NR, alpha, beta, bias != 0 ? bias + (<usize>j << 2) : 0);
    }
    pb += 4 * panelBytes;
  }
  for (; jr < nc; jr += NR) {
    const nr = min(NR, nc - jr);
    if (nr <= NR_HALF) f32_gemm_1x4_simd(kc, a, pb, tile);
    else f32_gemm_1x8_simd(kc, a, pb, tile);
    f32_gemm_store_tile(tile, c + (<usize>jr << 2), 0, 1, nr, alpha, beta, bias != 0 ? bias + (<usize>jr << 2) : 0);
    pb += panelBytes;
  }
}

/** One row × four full panels (32 columns) into `tile` (32 floats, panel by panel). */
function f32_gemm_1x32_simd(kc: i32, a: usize, pb: usize, panelBytes: usize, tile: usize): void {
  let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0), c3 = f32x4.splat(0);
  let c4 = f32x4.splat(0), c5 = f32x4.splat(0), c6 = f32x4.splat(0), c7 = f32x4.splat(0);
  let p0 = pb, p1 = pb + panelBytes, p2 = p1 + panelBytes, p3 = p2 + panelBytes;
  for (let p = 0; p < kc; p++) {
    const av = v128.load32_splat(a);
    c0 = madd(av, v128.load(p0), c0); c1 = madd(av, v128.load(p0, 16), c1);
    c2 = madd(av, v128.load(p1), c2); c3 = madd(av, v128.load(p1, 16), c3);
    c4 = madd(av, v128.load(p2), c4); c5 = madd(av, v128.load(p2, 16), c5);
    c6 = madd(av, v128.load(p3), c6); c7 = madd(av, v128.load(p3, 16), c7);
    a += 4; p0 += 32; p1 += 32; p2 += 32; p3 += 32;
  }
  v128.store(tile, c0, 0); v128.store(tile, c1, 16); v128.store(tile, c2, 32); v128.store(tile, c3, 48);
  v128.store(tile, c4, 64); v128.store(tile, c5, 80); v128.store(tile, c6, 96); v128.store(tile, c7, 112);
}

/** One row × one full panel (8 columns) into `tile`. */
function f32_gemm_1x8_simd(kc: i32, a: usize, pb: usize, tile: usize): void {
  let c0 = f32x4.splat(0), c1 = f32x4.splat(0);
  for (let p = 0; p < kc; p++) {
    const av = v128.load32_splat(a);
    c0 = madd(av, v128.load(pb), c0); c1 = madd(av, v128.load(pb, 16), c1);
    a += 4; pb += 32;
  }
  v128.store(tile, c0, 0); v128.store(tile, c1, 16);
}

/** One row × a last panel of NR_HALF columns into `tile`. */
function f32_gemm_1x4_simd(kc: i32, a: usize, pb: usize, tile: usize): void {
  let c0 = f32x4.splat(0);
  for (let p = 0; p < kc; p++) {
    c0 = madd(v128.load32_splat(a), v128.load(pb), c0);
    a += 4; pb += 16;
  }
  v128.store(tile, c0, 0);
}

/**
 * Scalar micro-kernel for the build without SIMD: the same packed panels (`width` floats per
 * k step, NR or NR_HALF), the full MR×width product written to `tile` (row-major, NR floats
 * per row). Done in 5×2 strips so the 10 accumulators stay in registers.
 */
function f32_gemm_5x8_scalar(kc: i32, pa: usize, pb: usize, width: i32, tile: usize): void {
  for (let j = 0; j < width; j += 2) f32_gemm_5x2_scalar(kc, pa, pb + (<usize>j << 2), width, tile + (<usize>j << 2));
}

function f32_gemm_5x2_scalar(kc: i32, pa: usize, pb: usize, width: i32, tile: usize): void {
  let c00: f32 = 0, c01: f32 = 0, c10: f32 = 0, c11: f32 = 0, c20: f32 = 0, c21: f32 = 0;
  let c30: f32 = 0, c31: f32 = 0, c40: f32 = 0, c41: f32 = 0;
  const step = <usize>width << 2;
  for (let p = 0; p < kc; p++) {
    const b0 = load<f32>(pb), b1 = load<f32>(pb, 4);
    let av = load<f32>(pa);
    c00 += av * b0; c01 += av * b1;
    av = load<f32>(pa, 4);
    c10 += av * b0; c11 += av * b1;
    av = load<f32>(pa, 8);
    c20 += av * b0; c21 += av * b1;
    av = load<f32>(pa, 12);
    c30 += av * b0; c31 += av * b1;
    av = load<f32>(pa, 16);
    c40 += av * b0; c41 += av * b1;
    pa += 20; pb += step;
  }
  store<f32>(tile, c00, 0); store<f32>(tile, c01, 4);
  store<f32>(tile, c10, 32); store<f32>(tile, c11, 36);
  store<f32>(tile, c20, 64); store<f32>(tile, c21, 68);
  store<f32>(tile, c30, 96); store<f32>(tile, c31, 100);
  store<f32>(tile, c40, 128); store<f32>(tile, c41, 132);
}

/**
 * C[0..mr, 0..nr] = alpha·tile + beta·C + bias (tile row-major, NR floats per row): alpha·acc,
 * then + beta·C (+ C when beta is 1), then + bias, in that order and unfused in every build,
 * so full rows (f32x4, SIMD build) and partial ones (element by element) round alike.
 * beta == 0 never reads C.
 */
function f32_gemm_store_tile(
  tile: usize, c: usize, ldc: i32, mr: i32, nr: i32, alpha: f32, beta: f32, bias: usize,
): void {
  for (let r = 0; r < mr; r++) {
    const src = tile + (<usize>(r * NR) << 2);
    const dst = c + (<usize>(r * ldc) << 2);
    if (ASC_FEATURE_SIMD && nr == NR) {
      const va = f32x4.splat(alpha);
      let x0 = f32x4.mul(v128.load(src), va), x1 = f32x4.mul(v128.load(src, 16), va);
      if (beta == 1) {
        x0 = f32x4.add(x0, v128.load(dst)); x1 = f32x4.add(x1, v128.load(dst, 16));
      } else if (beta != 0) {
        const vb = f32x4.splat(beta);
        x0 = f32x4.add(x0, f32x4.mul(vb, v128.load(dst))); x1 = f32x4.add(x1, f32x4.mul(vb, v128.load(dst, 16)));
      }
      if (bias != 0) {
        x0 = f32x4.add(x0, v128.load(bias)); x1 = f32x4.add(x1, v128.load(bias, 16));
      }
      v128.store(dst, x0); v128.store(dst, x1, 16);
      continue;
    }
    for (let j = 0; j < nr; j++) {
      const off = <usize>j << 2;
      storeSum(load<f32>(src + off), dst + off, alpha, beta, bias != 0 ? bias + off : 0);
    }
  }
}

/**
 * The transposed route's epilogue: tile row r, column j (the sums of C[j, r]) into
 * C[j, r] for r < mr, j < nr, with `bias` per tile row (a column of C). The same
 * operations in the same order as f32_gemm_store_tile, lane by lane; a full tile (SIMD
 * build) goes through two 4×4 transposes, so each row of C takes one vector and one float.
 */
function f32_gemm_store_tile_transposed(
  tile: usize, c: usize, ldc: i32, mr: i32, nr: i32, alpha: f32, beta: f32, bias: usize,
): void {
  const rowBytes = <usize>ldc << 2;
  if (ASC_FEATURE_SIMD && mr == MR && nr == NR) {
    for (let half = 0; half < 2; half++) {
      const src = tile + (<usize>half << 4);
      const x0 = v128.load(src), x1 = v128.load(src, 32), x2 = v128.load(src, 64), x3 = v128.load(src, 96);
      const t0 = i32x4.shuffle(x0, x1, 0, 4, 1, 5), t1 = i32x4.shuffle(x0, x1, 2, 6, 3, 7);
      const t2 = i32x4.shuffle(x2, x3, 0, 4, 1, 5), t3 = i32x4.shuffle(x2, x3, 2, 6, 3, 7);
      const dst = c + <usize>(half * 4) * rowBytes;
      storeRowOfFive(i32x4.shuffle(t0, t2, 0, 1, 4, 5), load<f32>(src, 128), dst, alpha, beta, bias);
      storeRowOfFive(i32x4.shuffle(t0, t2, 2, 3, 6, 7), load<f32>(src, 132), dst + rowBytes, alpha, beta, bias);
      storeRowOfFive(i32x4.shuffle(t1, t3, 0, 1, 4, 5), load<f32>(src, 136), dst + 2 * rowBytes, alpha, beta, bias);
      storeRowOfFive(i32x4.shuffle(t1, t3, 2, 3, 6, 7), load<f32>(src, 140), dst + 3 * rowBytes, alpha, beta, bias);
    }
    return;
  }
  for (let j = 0; j < nr; j++) {
    const dst = c + <usize>j * rowBytes;
    for (let r = 0; r < mr; r++) {
      const off = <usize>r << 2;
      storeSum(load<f32>(tile + (<usize>(r * NR + j) << 2)), dst + off, alpha, beta, bias != 0 ? bias + off : 0);
    }
  }
}

/** Four sums (a vector) and a fifth into C[0..5] at `dst`: the epilogue of f32_gemm_store_tile. */
// @ts-ignore: decorator
@inline function storeRowOfFive(sums: v128, fifth: f32, dst: usize, alpha: f32, beta: f32, bias: usize): void {
  let x = f32x4.mul(sums, f32x4.splat(alpha));
  if (beta == 1) x = f32x4.add(x, v128.load(dst));
  else if (beta != 0) x = f32x4.add(x, f32x4.mul(f32x4.splat(beta), v128.load(dst)));
  if (bias != 0) x = f32x4.add(x, v128.load(bias));
  v128.store(dst, x);
  storeSum(fifth, dst + 16, alpha, beta, bias != 0 ? bias + 16 : 0);
}

/** One element of the epilogue: C = alpha·sum + beta·C + bias (beta == 0 never reads C, bias 0 means none). */
// @ts-ignore: decorator
@inline function storeSum(sum: f32, dst: usize, alpha: f32, beta: f32, bias: usize): void {
  let v = alpha * sum;
  if (beta == 1) v += load<f32>(dst);
  else if (beta != 0) v += beta * load<f32>(dst);
  if (bias != 0) v += load<f32>(bias);
  store<f32>(dst, v);
}

// ---- Packing -------------------------------------------------------------------------
// Packed A: ceil(mc/MR) panels, each kc groups of MR floats (rows ir..ir+4 at one k).
// Packed B: ceil(nc/NR) panels, each kc groups of NR floats (columns jr..jr+7 at one k),
// except a last panel of at most NR_HALF columns, which is kc groups of NR_HALF floats.
// Rows/columns past the matrix edge are written as zeros.

/** Pack the kc×nc block of op(B) at (p0, j0) into its panels at `dst`. */
function packB(transB: i32, b: usize, ldb: i32, p0: i32, j0: i32, kc: i32, nc: i32, dst: usize): void {
  if (transB) f32_gemm_pack_b_t(b, ldb, p0, j0, kc, nc, dst);
  else f32_gemm_pack_b_n(b, ldb, p0, j0, kc, nc, dst);
}

/** A stored m×k (A[i,p] at a[i·lda + p]): panels gather five rows, a 4×4 transpose of the first four per step. */
function f32_gemm_pack_a_n(a: usize, lda: i32, i0: i32, p0: i32, mc: i32, kc: i32, dst: usize): void {
  const rowBytes = <usize>lda << 2;
  const step = <usize>MR << 2;
  for (let ir = 0; ir < mc; ir += MR) {
    const mr = min(MR, mc - ir);
    const src = a + (<usize>((i0 + ir) * lda + p0) << 2);
    let p = 0;
    if (ASC_FEATURE_SIMD) {
      if (mr == MR) {
        const r1 = src + rowBytes, r2 = r1 + rowBytes, r3 = r2 + rowBytes, r4 = r3 + rowBytes;
        for (; p + 4 <= kc; p += 4) {
          const off = <usize>p << 2;
          const x0 = v128.load(src + off), x1 = v128.load(r1 + off);
          const x2 = v128.load(r2 + off), x3 = v128.load(r3 + off);
          const t0 = i32x4.shuffle(x0, x1, 0, 4, 1, 5), t1 = i32x4.shuffle(x0, x1, 2, 6, 3, 7);
          const t2 = i32x4.shuffle(x2, x3, 0, 4, 1, 5), t3 = i32x4.shuffle(x2, x3, 2, 6, 3, 7);
          const out = dst + <usize>p * step;
          const last = r4 + off;
          v128.store(out, i32x4.shuffle(t0, t2, 0, 1, 4, 5), 0);
          store<f32>(out, load<f32>(last), 16);
          v128.store(out, i32x4.shuffle(t0, t2, 2, 3, 6, 7), 20);
          store<f32>(out, load<f32>(last, 4), 36);
          v128.store(out, i32x4.shuffle(t1, t3, 0, 1, 4, 5), 40);
          store<f32>(out, load<f32>(last, 8), 56);
          v128.store(out, i32x4.shuffle(t1, t3, 2, 3, 6, 7), 60);
          store<f32>(out, load<f32>(last, 12), 76);
        }
      }
    }
    for (; p < kc; p++) {
      const out = dst + <usize>p * step;
      for (let r = 0; r < MR; r++) {
        const v: f32 = r < mr ? load<f32>(src + <usize>r * rowBytes + (<usize>p << 2)) : 0;
        store<f32>(out + (<usize>r << 2), v);
      }
    }
    dst += <usize>(kc * MR) << 2;
  }
}

/** A stored k×m (A[i,p] at a[p·lda + i]): each k step of a panel is five adjacent floats. */
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
        store<f32>(dst, load<f32>(src, 16), 16);
        src += rowBytes; dst += MR << 2;
      }
    } else {
      for (let p = 0; p < kc; p++) {
        for (let r = 0; r < MR; r++) {
          const v: f32 = r < mr ? load<f32>(src + (<usize>r << 2)) : 0;
          store<f32>(dst + (<usize>r << 2), v);
        }
        src += rowBytes; dst += MR << 2;
      }
    }
  }
}

/** B stored k×n (B[p,j] at b[p·ldb + j]): each k step of a panel is eight (or four) adjacent floats. */
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
      const width = nr <= NR_HALF ? NR_HALF : NR;
      for (let p = 0; p < kc; p++) {
        for (let j = 0; j < width; j++) {
          const v: f32 = j < nr ? load<f32>(src + (<usize>j << 2)) : 0;
          store<f32>(dst + (<usize>j << 2), v);
        }
        src += rowBytes; dst += <usize>width << 2;
      }
    }
  }
}

/** B stored n×k (B[p,j] at b[j·ldb + p]): panels gather eight rows of B, two 4×4 transposes per step. */
function f32_gemm_pack_b_t(b: usize, ldb: i32, p0: i32, j0: i32, kc: i32, nc: i32, dst: usize): void {
  const rowBytes = <usize>ldb << 2;
  for (let jr = 0; jr < nc; jr += NR) {
    const nr = min(NR, nc - jr);
    const width = nr <= NR_HALF ? NR_HALF : NR;
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
      const out = dst + <usize>(p * width << 2);
      for (let j = 0; j < width; j++) {
        const v: f32 = j < nr ? load<f32>(src + <usize>j * rowBytes + (<usize>p << 2)) : 0;
        store<f32>(out + (<usize>j << 2), v);
      }
    }
    dst += <usize>(kc * width) << 2;
  }
}
