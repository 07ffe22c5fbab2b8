/**
 * Matrix product on tensors: the checked, allocating front of the GEMM kernel.
 */
import { Act } from '../backend/kernels.js';
import { Tensor } from '../tensor/tensor.js';
import { formatShape } from '../tensor/shape.js';

/** Options for {@link matmul}. */
export interface MatmulOptions {
  /** Use Aᵀ instead of A. */
  transposeA?: boolean;
  /** Use Bᵀ instead of B. */
  transposeB?: boolean;
  /** A vector of op(B)'s column count added to every row of the result. */
  bias?: Tensor;
}

function checkMatrix(op: string, name: string, t: Tensor): void {
  t.checkLive(op);
  if (t.shape.length !== 2) throw new RangeError(`${op}: ${name} must be 2-D, got shape ${formatShape(t.shape)}`);
}

/** `op(A)·op(B) (+ bias)` as a new tensor. Both operands must live on the same engine. */
export function matmul(a: Tensor, b: Tensor, options: MatmulOptions = {}): Tensor {
  const op = 'matmul';
  checkMatrix(op, 'A', a);
  checkMatrix(op, 'B', b);
  if (a.engine !== b.engine) throw new Error(`${op}: A and B live on different engines`);
  const transA = options.transposeA ?? false;
  const transB = options.transposeB ?? false;
  const [m, k] = transA ? [a.cols, a.rows] : [a.rows, a.cols];
  const [kb, n] = transB ? [b.cols, b.rows] : [b.rows, b.cols];
  if (k !== kb) {
    throw new RangeError(
      `${op}: inner dimensions differ: op(A) ${formatShape([m, k])} (A ${formatShape(a.shape)}${transA ? 'ᵀ' : ''}) · ` +
        `op(B) ${formatShape([kb, n])} (B ${formatShape(b.shape)}${transB ? 'ᵀ' : ''})`,
    );
  }
  const bias = options.bias;
  if (bias) {
    bias.checkLive(op);
    if (bias.size !== n) throw new RangeError(`${op}: bias has shape ${formatShape(bias.shape)}, expected ${n} elements`);
  }
  const out = Tensor.empty(a.engine, [m, n]);
  const { kernels, gemmWork } = a.engine;
  kernels.gemm(transA, transB, m, n, k, 1, a.ptr, a.cols, b.ptr, b.cols, 0, out.ptr, n, bias?.ptr ?? 0, Act.identity, 0, gemmWork);
  return out;
}
