// Elementwise arithmetic on f32 vectors and row/column broadcasts. All loops are f32x4 with
// a scalar tail; each output element depends only on inputs at the same index, so exact
// aliasing (out == x or out == y) is safe everywhere in this file.

const ADD: i32 = 0;
const SUB: i32 = 1;
const MUL: i32 = 2;

// @ts-ignore: decorator
@inline function op4(op: i32, a: v128, b: v128): v128 {
  if (op == ADD) return f32x4.add(a, b);
  if (op == SUB) return f32x4.sub(a, b);
  return f32x4.mul(a, b);
}

// @ts-ignore: decorator
@inline function op1(op: i32, a: f32, b: f32): f32 {
  if (op == ADD) return a + b;
  if (op == SUB) return a - b;
  return a * b;
}

// @ts-ignore: decorator
@inline function binaryLoop(op: i32, x: usize, y: usize, out: usize, n: i32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    for (; i + 8 <= n; i += 8) {
      const o = <usize>i << 2;
      const a0 = v128.load(x + o);
      const a1 = v128.load(x + o, 16);
      const b0 = v128.load(y + o);
      const b1 = v128.load(y + o, 16);
      v128.store(out + o, op4(op, a0, b0));
      v128.store(out + o, op4(op, a1, b1), 16);
    }
    if (i + 4 <= n) {
      const o = <usize>i << 2;
      v128.store(out + o, op4(op, v128.load(x + o), v128.load(y + o)));
      i += 4;
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(out + o, op1(op, load<f32>(x + o), load<f32>(y + o)));
  }
}

/**
 * `out[i] = x[i] + y[i]`, i < n, f32. Byte offsets, 4-byte aligned; f32x4 loop (8 per
 * iteration), scalar tail, any n ≥ 0. `out` may equal `x` and/or `y`.
 */
export function f32_vadd(x: usize, y: usize, out: usize, n: i32): void {
  binaryLoop(ADD, x, y, out, n);
}

/** `out[i] = x[i] − y[i]`; layout, tail and aliasing as {@link f32_vadd}. */
export function f32_vsub(x: usize, y: usize, out: usize, n: i32): void {
  binaryLoop(SUB, x, y, out, n);
}

/** `out[i] = x[i]·y[i]`; layout, tail and aliasing as {@link f32_vadd}. */
export function f32_vmul(x: usize, y: usize, out: usize, n: i32): void {
  binaryLoop(MUL, x, y, out, n);
}

/**
 * `out[i] = s·x[i]`, i < n, f32. Byte offsets, 4-byte aligned; f32x4 loop, scalar tail,
 * any n ≥ 0. In place (out == x) allowed.
 */
export function f32_vscale(x: usize, s: f32, out: usize, n: i32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const s4 = f32x4.splat(s);
    for (; i + 8 <= n; i += 8) {
      const o = <usize>i << 2;
      const a0 = v128.load(x + o);
      const a1 = v128.load(x + o, 16);
      v128.store(out + o, f32x4.mul(a0, s4));
      v128.store(out + o, f32x4.mul(a1, s4), 16);
    }
    if (i + 4 <= n) {
      const o = <usize>i << 2;
      v128.store(out + o, f32x4.mul(v128.load(x + o), s4));
      i += 4;
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(out + o, load<f32>(x + o) * s);
  }
}

/**
 * `y[i] = alpha·x[i] + y[i]`, i < n, f32 (rounded as a product then a sum, no fused
 * multiply-add). Byte offsets, 4-byte aligned; f32x4 loop, scalar tail, any n ≥ 0.
 * `y` is updated in place; x == y is allowed (gives (alpha+1)·y up to rounding).
 */
export function f32_axpy(alpha: f32, x: usize, y: usize, n: i32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const a4 = f32x4.splat(alpha);
    for (; i + 8 <= n; i += 8) {
      const o = <usize>i << 2;
      const x0 = v128.load(x + o);
      const x1 = v128.load(x + o, 16);
      const y0 = v128.load(y + o);
      const y1 = v128.load(y + o, 16);
      v128.store(y + o, f32x4.add(f32x4.mul(a4, x0), y0));
      v128.store(y + o, f32x4.add(f32x4.mul(a4, x1), y1), 16);
    }
    if (i + 4 <= n) {
      const o = <usize>i << 2;
      v128.store(y + o, f32x4.add(f32x4.mul(a4, v128.load(x + o)), v128.load(y + o)));
      i += 4;
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(y + o, alpha * load<f32>(x + o) + load<f32>(y + o));
  }
}

/**
 * `out[i,j] = x[i,j] + v[j]` for a row-major rows×cols matrix (row stride = cols) and a
 * cols-long vector `v` (a bias added to every row). Byte offsets, 4-byte aligned; each row is
 * an f32x4 loop with a scalar tail, any rows, cols ≥ 0. `out` may equal `x`; `v` must not
 * overlap `out`.
 */
export function f32_add_row_vector(x: usize, v: usize, out: usize, rows: i32, cols: i32): void {
  if (rows <= 0 || cols <= 0) return;
  const rowBytes = <usize>cols << 2;
  for (let r = 0; r < rows; r++) {
    const off = <usize>r * rowBytes;
    binaryLoop(ADD, x + off, v, out + off, cols);
  }
}

/**
 * `out[i,j] = x[i,j] + v[i]` for a row-major rows×cols matrix (row stride = cols) and a
 * rows-long vector `v` (one value per row, broadcast along it). Byte offsets, 4-byte aligned;
 * each row is an f32x4 loop with a scalar tail, any rows, cols ≥ 0. `out` may equal `x`;
 * `v` must not overlap `out`.
 */
export function f32_add_col_vector(x: usize, v: usize, out: usize, rows: i32, cols: i32): void {
  if (rows <= 0 || cols <= 0) return;
  const rowBytes = <usize>cols << 2;
  for (let r = 0; r < rows; r++) {
    const off = <usize>r * rowBytes;
    const s = load<f32>(v + (<usize>r << 2));
    const px = x + off;
    const po = out + off;
    let j = 0;
    if (ASC_FEATURE_SIMD) {
      const s4 = f32x4.splat(s);
      for (; j + 4 <= cols; j += 4) {
        const o = <usize>j << 2;
        v128.store(po + o, f32x4.add(v128.load(px + o), s4));
      }
    }
    for (; j < cols; j++) {
      const o = <usize>j << 2;
      store<f32>(po + o, load<f32>(px + o) + s);
    }
  }
}
