/**
 * The claim protocol of the control block (drainChunks), driven by hand so that the
 * interleavings a loaded machine produces now and then happen every time: who takes which
 * chunk, and a worker that reads the generation of a finished job while the caller is
 * posting the next one (a worker that starts while a job is being posted does exactly this).
 */
import { describe, expect, it } from 'vitest';
import { CONTROL_BYTES, LAYOUT, MAX_CHUNKS, Word, drainChunks, type ControlViews, type KernelFn } from '../../src/threads/protocol.js';

/** A control block in a fresh shared buffer, and a kernel that records the first argument of every chunk it runs. */
function block(): { views: ControlViews; ran: number[]; fns: KernelFn[] } {
  const buffer = new SharedArrayBuffer(CONTROL_BYTES);
  const views = {
    i32: new Int32Array(buffer, 0, LAYOUT.scratchWord + MAX_CHUNKS),
    f64: new Float64Array(buffer, LAYOUT.argsOffset, MAX_CHUNKS * LAYOUT.argSlots),
    u16: new Uint16Array(buffer, LAYOUT.errorOffset, LAYOUT.errorChars),
  };
  const ran: number[] = [];
  return { views, ran, fns: [(id: number) => { ran.push(id); }] };
}

/** Post job `gen` of `chunks` chunks (chunk i's argument is 100 + i) the way ThreadPool.run does. */
function post({ views }: { views: ControlViews }, gen: number, chunks: number, claimWord = true): void {
  for (let c = 0; c < chunks; c++) views.f64[c * LAYOUT.argSlots] = 100 + c;
  Atomics.store(views.i32, Word.fn, 0);
  Atomics.store(views.i32, Word.nargs, 1);
  Atomics.store(views.i32, Word.chunks, chunks);
  Atomics.store(views.i32, Word.done, 0);
  Atomics.store(views.i32, Word.scratchArg, -1);
  if (!claimWord) return;
  Atomics.store(views.i32, Word.claim, (gen << 16) | (chunks << 8));
  Atomics.store(views.i32, Word.gen, gen);
}

describe('chunk claims', () => {
  it('the caller takes chunks from the front, a worker from the back, each chunk once', () => {
    const b = block();
    post(b, 7, 6);
    // The caller takes two, a worker three, the caller the last one.
    for (const [thread, count] of [[0, 2], [1, 3], [0, 1]] as const) {
      const before = b.ran.length;
      const fns: KernelFn[] = [(id: number) => { b.ran.push(id); if (b.ran.length - before === count) Atomics.store(b.views.i32, Word.claim, -1); }];
      const word = Atomics.load(b.views.i32, Word.claim);
      drainChunks(b.views, fns, 7, LAYOUT, thread);
      // Restore the word the stop sentinel replaced, advanced by the chunks this thread took.
      Atomics.store(b.views.i32, Word.claim, thread === 0 ? word + count : word - 256 * count);
    }
    expect(b.ran).toEqual([100, 101, 105, 104, 103, 102]);
    expect(Atomics.load(b.views.i32, Word.done)).toBe(6);
    drainChunks(b.views, b.fns, 7, LAYOUT, 1);
    expect(b.ran).toHaveLength(6);
  });

  it('a worker holding the generation of a finished job takes nothing while the next job is being posted', () => {
    const b = block();
    post(b, 7, 2);
    drainChunks(b.views, b.fns, 7, LAYOUT, 0);
    expect(b.ran).toEqual([100, 101]);
    // The next job's count and arguments are stored; its claim word and generation not yet.
    post(b, 8, 9, false);
    drainChunks(b.views, b.fns, 7, LAYOUT, 1);
    expect(b.ran).toEqual([100, 101]);
    expect(Atomics.load(b.views.i32, Word.done)).toBe(0);
    // Once posted, the job runs whole, each chunk once.
    Atomics.store(b.views.i32, Word.claim, (8 << 16) | (9 << 8));
    drainChunks(b.views, b.fns, 8, LAYOUT, 1);
    expect(b.ran.slice(2)).toEqual([108, 107, 106, 105, 104, 103, 102, 101, 100]);
    expect(Atomics.load(b.views.i32, Word.done)).toBe(9);
  });
});
