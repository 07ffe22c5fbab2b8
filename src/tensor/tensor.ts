/**
 * A tensor is a row-major view (pointer + shape) over an engine's heap. Its storage is
 * released when the tensor is garbage-collected, or at once with {@link Tensor.dispose}.
 */
import type { Engine } from '../engine.js';
import { checkShape, formatShape, shapeSize, type Shape } from './shape.js';

// Returns a tensor's bytes to its heap once the tensor object is unreachable.
const reclaim = new FinalizationRegistry<{ engine: Engine; ptr: number }>(({ engine, ptr }) => engine.heap.release(ptr));

/** An f32 tensor living in WASM linear memory. */
export class Tensor {
  /** Number of elements. */
  readonly size: number;
  private disposed = false;

  private constructor(
    /** The engine whose heap holds the data. */
    readonly engine: Engine,
    /** Byte offset of element 0 in the heap. */
    readonly ptr: number,
    /** Extents, row-major. */
    readonly shape: Shape,
    /** The tensor that owns the storage when this one is a view; keeps it alive. */
    private readonly base?: Tensor,
  ) {
    this.size = shapeSize(shape);
    if (!base) reclaim.register(this, { engine, ptr }, this);
  }

  /** A tensor of `shape` whose contents are unspecified. */
  static empty(engine: Engine, shape: Shape): Tensor {
    checkShape(shape, 'Tensor.empty');
    return new Tensor(engine, engine.heap.alloc(shapeSize(shape) * 4), [...shape]);
  }

  /** A tensor of `shape` filled with zeros. */
  static zeros(engine: Engine, shape: Shape): Tensor {
    const t = Tensor.empty(engine, shape);
    t.data.fill(0);
    return t;
  }

  /** A tensor of `shape` holding a copy of `values` (row-major, exactly `size` numbers). */
  static from(engine: Engine, values: ArrayLike<number>, shape: Shape): Tensor {
    checkShape(shape, 'Tensor.from');
    const size = shapeSize(shape);
    if (values.length !== size) {
      throw new RangeError(`Tensor.from: ${values.length} values do not fill shape ${formatShape(shape)} (${size} elements)`);
    }
    const t = Tensor.empty(engine, shape);
    t.data.set(values);
    return t;
  }

  /** Rows when seen as a matrix: the first extent (1 for a vector or scalar). */
  get rows(): number {
    return this.shape.length < 2 ? 1 : this.shape[0]!;
  }

  /** Columns when seen as a matrix: the product of the other extents. */
  get cols(): number {
    return this.shape.length < 2 ? this.size : shapeSize(this.shape.slice(1));
  }

  /**
   * A live Float32Array view of the data. It is detached if the heap grows, so use it at
   * once and do not keep it across allocations.
   */
  get data(): Float32Array {
    this.checkLive('data');
    return this.engine.heap.floats(this.ptr, this.size);
  }

  /** A copy of the data, safe to keep. */
  toArray(): Float32Array {
    return this.data.slice();
  }

  /** A 2-D array of rows (for printing and small tensors). */
  toNested(): number[][] {
    const flat = this.toArray();
    const cols = this.cols;
    return Array.from({ length: this.rows }, (_, i) => Array.from(flat.subarray(i * cols, (i + 1) * cols)));
  }

  /**
   * Release the storage now instead of at garbage collection. Further use of this tensor,
   * or of views of it, throws. Disposing a view only retires the view.
   */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.base) return;
    reclaim.unregister(this);
    this.engine.heap.release(this.ptr);
  }

  /** True once this tensor, or the tensor it views, was disposed. */
  get isDisposed(): boolean {
    return this.disposed || (this.base?.isDisposed ?? false);
  }

  /** Throw if the tensor was disposed; `op` names the caller in the message. */
  checkLive(op: string): void {
    if (this.isDisposed) throw new Error(`${op}: tensor ${formatShape(this.shape)} was disposed`);
  }

  /** A view of the same data with another shape of the same size (no copy). */
  reshape(shape: Shape): Tensor {
    checkShape(shape, 'Tensor.reshape');
    if (shapeSize(shape) !== this.size) {
      throw new RangeError(`Tensor.reshape: cannot reshape ${formatShape(this.shape)} to ${formatShape(shape)}`);
    }
    this.checkLive('Tensor.reshape');
    return new Tensor(this.engine, this.ptr, [...shape], this.base ?? this);
  }
}
