/**
 * A bounded-memory histogram of one activation over every calibration batch: two halves (values
 * below and above zero) of BINS bins each, plus a count of exact zeros. Quantizer ranges always
 * contain 0, so each side grows on its own: when a value lies beyond a side's edge, the edge doubles
 * (as often as needed) and pairs of bins merge, so a side never has fewer than BINS / 2 bins over
 * the data it has seen. Memory is fixed (2 × BINS counts) however many batches run, and the
 * batches are read once (a generator works).
 */

export const BINS = 2048;

/** One side: bins over (0, edge] of |x|, with each bin's count and sum of |x| (its mean places a point mass exactly). */
interface Side {
  edge: number;
  readonly counts: Float64Array;
  readonly sums: Float64Array;
  total: number;
}

function emptySide(): Side {
  return { edge: 0, counts: new Float64Array(BINS), sums: new Float64Array(BINS), total: 0 };
}

/** Widens `side` until `edge` ≥ `need` by doubling, merging pairs of bins each time. */
function growTo(side: Side, need: number): void {
  if (side.edge === 0) {
    side.edge = need;
    return;
  }
  let factor = 1;
  while (side.edge * factor < need) factor *= 2;
  if (factor === 1) return;
  const { counts, sums } = side;
  for (let j = 0; j < BINS; j++) {
    let n = 0;
    let sum = 0;
    const from = j * factor;
    for (let i = from; i < from + factor && i < BINS; i++) {
      n += counts[i]!;
      sum += sums[i]!;
    }
    counts[j] = n;
    sums[j] = sum;
  }
  side.edge *= factor;
}

function add(side: Side, v: number): void {
  const i = Math.min(BINS - 1, Math.floor((v / side.edge) * BINS));
  side.counts[i]!++;
  side.sums[i]! += v;
  side.total++;
}

/** Non-empty bins, ascending: edges, counts, means; and the exact extremes. */
export interface HistogramBins {
  readonly lo: Float64Array;
  readonly hi: Float64Array;
  readonly n: Float64Array;
  readonly mean: Float64Array;
  readonly min: number;
  readonly max: number;
}

export class RangeHistogram {
  readonly neg = emptySide();
  readonly pos = emptySide();
  zeros = 0;
  /** Exact extremes seen (the histogram's edges are powers of two of the first batch's). */
  min = Infinity;
  max = -Infinity;

  get total(): number {
    return this.neg.total + this.zeros + this.pos.total;
  }

  /** Adds a batch of finite values (the caller checks for NaN and infinities). */
  addAll(values: ArrayLike<number>): void {
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    if (values.length === 0) return;
    this.min = Math.min(this.min, lo);
    this.max = Math.max(this.max, hi);
    if (hi > 0) growTo(this.pos, hi);
    if (lo < 0) growTo(this.neg, -lo);
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (v > 0) add(this.pos, v);
      else if (v < 0) add(this.neg, -v);
      else this.zeros++;
    }
  }

  /**
   * Every non-empty bin in ascending order of value — its edges, count and mean — with the zeros
   * as one bin of width 0: the distribution the percentile and MSE searches read.
   */
  bins(): HistogramBins {
    const out = { lo: [] as number[], hi: [] as number[], n: [] as number[], mean: [] as number[] };
    const push = (lo: number, hi: number, n: number, mean: number) => {
      if (n === 0) return;
      out.lo.push(lo);
      out.hi.push(hi);
      out.n.push(n);
      out.mean.push(mean);
    };
    const wNeg = this.neg.edge / BINS;
    for (let i = BINS - 1; i >= 0; i--) push(-(i + 1) * wNeg, -i * wNeg, this.neg.counts[i]!, -this.neg.sums[i]! / this.neg.counts[i]!);
    push(0, 0, this.zeros, 0);
    const wPos = this.pos.edge / BINS;
    for (let i = 0; i < BINS; i++) push(i * wPos, (i + 1) * wPos, this.pos.counts[i]!, this.pos.sums[i]! / this.pos.counts[i]!);
    return { lo: Float64Array.from(out.lo), hi: Float64Array.from(out.hi), n: Float64Array.from(out.n), mean: Float64Array.from(out.mean), min: this.min, max: this.max };
  }
}
