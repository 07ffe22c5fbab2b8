/**
 * How the page writes numbers, one way everywhere: counts with thousands separators
 * ("5,000"), losses to three significant digits (never "0.0000"), percentages to one decimal.
 * No DOM here, so the browser tests can check the page's text against these same rules.
 */

const counts = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** A whole count: "5,000". */
export function formatCount(n: number): string {
  return counts.format(n);
}

/**
 * A loss to three significant digits: "0.345", "0.00123", "2.10e-7" below 1e-4 (where
 * fixed notation would run long), "0" only for zero.
 */
export function formatLoss(v: number): string {
  if (v === 0 || !Number.isFinite(v)) return String(v);
  if (Math.abs(v) < 1e-4) return v.toExponential(2);
  return v.toPrecision(3);
}

/** A fraction as a percentage: "93.9%". */
export function formatPercent(fraction: number): string {
  return `${(fraction * 100).toFixed(1)}%`;
}

/** A duration: "0.29 s", "12.4 s", "1 min 5 s". */
export function formatSeconds(s: number): string {
  if (s >= 60) return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
  return `${s.toPrecision(s >= 1 ? 3 : 2)} s`;
}

/** A rate with an SI prefix: "950", "131.9 k", "2.00 M". */
export function formatRate(rate: number): string {
  if (rate >= 1e6) return `${(rate / 1e6).toFixed(2)} M`;
  if (rate >= 1e3) return `${(rate / 1e3).toFixed(1)} k`;
  return formatCount(rate);
}
