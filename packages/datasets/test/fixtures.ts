import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Mnist1dArgs } from "../src/index.js";

import { FIXTURE_DIR, FIXTURES_PRESENT } from "./fixture-dir.js";

export { FIXTURE_DIR };

if (!FIXTURES_PRESENT) {
  throw new Error(
    `MNIST-1D fixtures not found at ${FIXTURE_DIR}; set MNIST1D_FIXTURES to the shared/fixtures/mnist1d folder`,
  );
}

function bytes(rel: string): Buffer {
  return readFileSync(join(FIXTURE_DIR, rel));
}

/** Reads a raw little-endian float64 fixture into an aligned array. */
export function readF64(rel: string): Float64Array {
  const b = bytes(rel);
  const out = new Float64Array(b.byteLength / 8);
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat64(i * 8, true);
  return out;
}

/** Reads a raw little-endian int32 fixture. */
export function readI32(rel: string): Int32Array {
  const b = bytes(rel);
  const out = new Int32Array(b.byteLength / 4);
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  for (let i = 0; i < out.length; i++) out[i] = view.getInt32(i * 4, true);
  return out;
}

/** Parses a JSON fixture (numbers are shortest round-trip decimals, so floats come back bit-exact). */
export function readJson<T = unknown>(rel: string): T {
  return JSON.parse(bytes(rel).toString("utf8")) as T;
}

/** SHA-256 of a fixture file, to check it against the manifest. */
export function sha256(rel: string): string {
  return createHash("sha256").update(bytes(rel)).digest("hex");
}

/** Upstream (snake_case) generator arguments as stored in manifest.json. */
export interface UpstreamArgs {
  num_samples: number;
  train_split: number;
  template_len: number;
  padding: [number, number];
  scale_coeff: number;
  max_translation: number;
  corr_noise_scale: number;
  iid_noise_scale: number;
  shear_scale: number;
  shuffle_seq: boolean;
  final_seq_length: number;
  seed: number;
}

export interface ManifestFile {
  path: string;
  dtype?: string;
  shape?: number[];
  bytes: number;
  sha256: string;
}

export interface ManifestVariant {
  args: UpstreamArgs;
  n_total: number;
  n_train: number;
  n_test: number;
  seq_len: number;
  files: Record<string, ManifestFile>;
  normalisation: Record<"orig" | "v8", { mean: { value: number; hex: string }; std: { value: number; hex: string } }>;
  label_counts: { train: number[]; test: number[] };
}

export interface Manifest {
  variants: Record<string, ManifestVariant>;
}

export const manifest = readJson<Manifest>("manifest.json");

/** Converts manifest args to this package's camelCase arguments. */
export function toArgs(a: UpstreamArgs): Mnist1dArgs {
  return {
    numSamples: a.num_samples,
    trainSplit: a.train_split,
    templateLen: a.template_len,
    padding: [a.padding[0], a.padding[1]],
    scaleCoeff: a.scale_coeff,
    maxTranslation: a.max_translation,
    corrNoiseScale: a.corr_noise_scale,
    iidNoiseScale: a.iid_noise_scale,
    shearScale: a.shear_scale,
    shuffleSeq: a.shuffle_seq,
    finalSeqLength: a.final_seq_length,
    seed: a.seed,
  };
}

/** Per-sample trace of a variant (trace.json). */
export interface TraceJson {
  u_pad: number[];
  p: number[];
  u_scale: number[];
  scale: number[];
  k: number[];
  u_shear: number[];
  shear_coeff: number[];
  batch_perm: number[];
  seq_perm: number[] | null;
}
