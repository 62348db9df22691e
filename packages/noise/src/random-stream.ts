import { PRNGKey, foldIn, normal, uniform } from "@regularize/core-autodiff";
import { describeValue } from "@regularize/core-train";
import { NoiseOptionError, requirePositive } from "./errors.js";

function checkStream(fn: string, stream: unknown): void {
  const s = stream as Partial<RandomStream> | null | undefined;
  if (typeof s?.normal !== "function" || typeof s.uniform !== "function") throw new NoiseOptionError(fn, "stream", "must be a RandomStream");
}

/**
 * Sequential uniform/normal draws from one key, in blocks of 256 (block b from foldIn(key, b)).
 * Rejection samplers (Gamma/Beta) consume a data-dependent number of draws; a stream keeps them a
 * pure function of the key anyway.
 */
export class RandomStream {
  private u: ArrayLike<number> = new Float64Array(0);
  private n: ArrayLike<number> = new Float64Array(0);
  private ui = 0;
  private ni = 0;
  private block = 0;
  constructor(private readonly key: PRNGKey) {
    if (!(key instanceof PRNGKey)) throw new NoiseOptionError("RandomStream", "key", `must be a PRNGKey, got ${describeValue(key)}`);
  }
  private refill(): void {
    const k = foldIn(this.key, this.block++);
    this.u = uniform(foldIn(k, 0), [256]).data;
    this.n = normal(foldIn(k, 1), [256]).data;
    this.ui = 0;
    this.ni = 0;
  }
  /** A uniform draw in [0, 1). */
  uniform(): number {
    if (this.ui >= this.u.length) this.refill();
    return this.u[this.ui++]!;
  }
  /** A standard normal draw. */
  normal(): number {
    if (this.ni >= this.n.length) this.refill();
    return this.n[this.ni++]!;
  }
}

/** Gamma(shape a, scale 1) by Marsaglia & Tsang (2000); a < 1 via Gamma(a+1)·U^(1/a). */
export function sampleGamma(stream: RandomStream, a: number): number {
  checkStream("sampleGamma", stream);
  requirePositive("sampleGamma", "a", a);
  if (a < 1) return sampleGamma(stream, a + 1) * Math.pow(1 - stream.uniform(), 1 / a);
  const d = a - 1 / 3, c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number, v: number;
    do {
      x = stream.normal();
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = 1 - stream.uniform();
    if (u < 1 - 0.0331 * x ** 4 || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

/** Beta(a, b) as X/(X+Y) with X ~ Gamma(a), Y ~ Gamma(b). */
export function sampleBeta(stream: RandomStream, a: number, b: number): number {
  checkStream("sampleBeta", stream);
  requirePositive("sampleBeta", "a", a);
  requirePositive("sampleBeta", "b", b);
  const x = sampleGamma(stream, a), y = sampleGamma(stream, b);
  return x + y === 0 ? (stream.uniform() < a / (a + b) ? 1 : 0) : x / (x + y);
}
