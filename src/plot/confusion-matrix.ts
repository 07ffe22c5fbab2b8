/**
 * Confusion matrix: counting, text rendering for the terminal and a heat-map chart.
 */
import type { TopLevelSpec } from 'vega-lite';
import { renderSvg } from './render.js';

/** counts[t][p] = samples of true class t predicted as p. */
export type ConfusionMatrix = number[][];

/** Count (true, predicted) pairs for `classes` classes. */
export function confusionMatrix(truth: ArrayLike<number>, predicted: ArrayLike<number>, classes: number): ConfusionMatrix {
  if (truth.length !== predicted.length) throw new RangeError(`confusionMatrix: ${truth.length} labels but ${predicted.length} predictions`);
  const m = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  for (let i = 0; i < truth.length; i++) {
    const row = m[truth[i]!];
    if (row && predicted[i]! < classes) row[predicted[i]!]! += 1;
  }
  return m;
}

/** A fixed-width table: rows are true classes, columns predicted classes. */
export function formatConfusionMatrix(m: ConfusionMatrix, names: readonly string[]): string {
  const cell = Math.max(5, ...names.map((n) => n.length + 1), ...m.flat().map((v) => String(v).length + 1));
  const label = Math.max(6, ...names.map((n) => n.length + 1));
  const header = `${'true\\pred'.padEnd(label + 3)}${names.map((n) => n.padStart(cell)).join('')}`;
  const rows = m.map((row, t) => `${(names[t] ?? String(t)).padEnd(label + 3)}${row.map((v) => String(v).padStart(cell)).join('')}`);
  return [header, ...rows].join('\n');
}

/** A heat map with the count in every cell; the diagonal is what the model got right. */
export async function confusionMatrixSvg(m: ConfusionMatrix, names: readonly string[], title = 'Confusion matrix'): Promise<string> {
  const values = m.flatMap((row, t) => row.map((count, p) => ({ truth: names[t] ?? String(t), predicted: names[p] ?? String(p), count })));
  const max = Math.max(1, ...values.map((v) => v.count));
  const order = names.slice(0, m.length);
  const size = Math.max(200, Math.min(560, 44 * m.length));
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    background: 'white',
    data: { values },
    width: size,
    height: size,
    encoding: {
      x: { field: 'predicted', type: 'ordinal', sort: order, title: 'predicted', axis: { orient: 'top', labelAngle: 0 } },
      y: { field: 'truth', type: 'ordinal', sort: order, title: 'true' },
    },
    layer: [
      { mark: 'rect', encoding: { color: { field: 'count', type: 'quantitative', scale: { scheme: 'blues', domain: [0, max] }, legend: null } } },
      {
        mark: { type: 'text', fontSize: 11 },
        encoding: {
          text: { field: 'count', type: 'quantitative' },
          color: { condition: { test: `datum.count > ${max / 2}`, value: 'white' }, value: 'black' },
        },
      },
    ],
  };
  return renderSvg(spec);
}
