/**
 * Number formatting shared by the progress lines and the summaries.
 */

/** Samples per second with a thousands separator, e.g. `48,210`. */
export function formatRate(perSecond: number): string {
  if (!Number.isFinite(perSecond)) return '–';
  return Math.round(perSecond).toLocaleString('en-US');
}

/** Seconds with a unit: `0.84 s`, `12.3 s`, `2 min 5 s`. */
export function formatSeconds(seconds: number): string {
  if (seconds < 10) return `${seconds.toFixed(2)} s`;
  if (seconds < 120) return `${seconds.toFixed(1)} s`;
  return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
}

/** A fraction as a percentage with two decimals: `0.9712` → `97.12%`. */
export function formatPercent(fraction: number): string {
  return Number.isFinite(fraction) ? `${(fraction * 100).toFixed(2)}%` : '–';
}

/** The smallest of 1, 2, 5 × 10^k that is ≥ `x` (at least 1): round reporting intervals. */
export function niceStep(x: number): number {
  if (!(x > 1)) return 1;
  const p = 10 ** Math.floor(Math.log10(x));
  for (const m of [1, 2, 5, 10]) if (m * p >= x) return m * p;
  return 10 * p;
}

/**
 * A value in its own units rounded to `digits` significant digits, written as JavaScript
 * writes numbers (no trailing zeros; an exponent only below 1e-6 or from 1e21): `0.08123`,
 * `1235`, and with 7 digits `123456.8`.
 */
export function formatValue(value: number, digits = 4): string {
  if (!Number.isFinite(value)) return '–';
  return String(Number(value.toPrecision(digits)));
}
