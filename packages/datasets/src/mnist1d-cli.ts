import { mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { DatasetArgumentError } from "./errors.js";
import { MNIST1D_PRESETS, resolveMnist1dArgs, type Mnist1dArgs, type Mnist1dPresetName } from "./mnist1d-args.js";
import { makeMnist1d, type Mnist1dDataset } from "./mnist1d.js";
import { encodeNpy } from "./npy.js";

/** Where the CLI writes text; injectable so tests can capture output. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

const NUMERIC_FLAGS = {
  "num-samples": "numSamples",
  "train-split": "trainSplit",
  "template-len": "templateLen",
  "scale-coeff": "scaleCoeff",
  "max-translation": "maxTranslation",
  "corr-noise-scale": "corrNoiseScale",
  "iid-noise-scale": "iidNoiseScale",
  "shear-scale": "shearScale",
  "final-seq-length": "finalSeqLength",
  seed: "seed",
} as const satisfies Record<string, keyof Mnist1dArgs>;

const HELP = `Usage: mnist1d [options]

Generate MNIST-1D (bit-exact port of greydanus/mnist1d) and write it as .npy and/or JSON.

Options:
  -o, --out <dir>            output directory (default: ./mnist1d)
  -f, --format <fmt>         npy | json | both (default: both)
  -p, --preset <name>        ${Object.keys(MNIST1D_PRESETS).join(" | ")} (default: default)
      --num-samples <n>      total samples before the split (5000)
      --train-split <f>      share of rows in the train split (0.8)
      --template-len <n>     internal length is template-len + padding hi (12)
      --padding <lo,hi>      zeros appended, inclusive range (36,60)
      --scale-coeff <f>      amplitude jitter (0.4)
      --max-translation <n>  circular shift in [0, n) (48)
      --corr-noise-scale <f> correlated noise std (0.25)
      --iid-noise-scale <f>  white noise std (0.02)
      --shear-scale <f>      shear jitter (0.75)
      --shuffle-seq          permute the feature columns
      --final-seq-length <n> output length (40)
      --seed <n>             legacy NumPy seed (42)
  -h, --help                 show this help

Files (names follow the upstream pickle's keys):
  x.npy <f8 [n,len]   y.npy <i4 [n]   x_test.npy   y_test.npy   t.npy
  templates_x.npy <f8 [10,12]   templates_t.npy   templates_y.npy <i4
  mnist1d.json  {x, y, x_test, y_test, t, templates, args, normalisation}

In Python:  x = np.load("mnist1d/x.npy")
`;

function parseNumber(flag: string, text: string): number {
  const trimmed = text.trim();
  const value = Number(trimmed);
  if (trimmed === "" || Number.isNaN(value)) {
    throw new DatasetArgumentError(flag, `expects a number, got ${JSON.stringify(text)}`);
  }
  return value;
}

/** Parses argv into generator arguments, output directory and format (throws DatasetArgumentError). */
export function parseMnist1dCliArgs(argv: readonly string[]): {
  readonly help: boolean;
  readonly out: string;
  readonly format: "npy" | "json" | "both";
  readonly args: Mnist1dArgs;
} {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      out: { type: "string", short: "o" },
      format: { type: "string", short: "f" },
      preset: { type: "string", short: "p" },
      padding: { type: "string" },
      "shuffle-seq": { type: "boolean" },
      help: { type: "boolean", short: "h" },
      ...Object.fromEntries(Object.keys(NUMERIC_FLAGS).map((k) => [k, { type: "string" as const }])),
    },
  });
  const format = (values.format as string | undefined) ?? "both";
  if (format !== "npy" && format !== "json" && format !== "both") {
    throw new DatasetArgumentError("format", `must be npy, json or both, got ${JSON.stringify(format)}`);
  }
  const presetName = (values.preset as string | undefined) ?? "default";
  if (!Object.hasOwn(MNIST1D_PRESETS, presetName)) {
    throw new DatasetArgumentError("preset", `must be one of ${Object.keys(MNIST1D_PRESETS).join(", ")}`);
  }
  const overrides: Record<string, unknown> = { ...MNIST1D_PRESETS[presetName as Mnist1dPresetName] };
  for (const [flag, key] of Object.entries(NUMERIC_FLAGS)) {
    const text = (values as Record<string, unknown>)[flag];
    if (typeof text === "string") overrides[key] = parseNumber(key, text);
  }
  if (typeof values.padding === "string") {
    const parts = values.padding.split(",");
    if (parts.length !== 2) throw new DatasetArgumentError("padding", "expects lo,hi");
    overrides.padding = [parseNumber("padding", parts[0]!), parseNumber("padding", parts[1]!)];
  }
  if (values["shuffle-seq"] === true) overrides.shuffleSeq = true;
  return {
    help: values.help === true,
    out: (values.out as string | undefined) ?? "mnist1d",
    format,
    args: resolveMnist1dArgs(overrides as Partial<Mnist1dArgs>),
  };
}

function rows(data: Float64Array, cols: number): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < data.length; i += cols) out.push(Array.from(data.subarray(i, i + cols)));
  return out;
}

/** JSON document with the upstream pickle's keys; numbers are shortest round-trip, so values are exact. */
export function mnist1dToJson(data: Mnist1dDataset): string {
  const dim = data.shape.train[1];
  const a = data.args;
  return JSON.stringify({
    x: rows(data.x, dim),
    y: Array.from(data.y),
    x_test: rows(data.xTest, dim),
    y_test: Array.from(data.yTest),
    t: Array.from(data.t),
    templates: {
      x: rows(data.templates.x, data.templates.shape[1]),
      t: Array.from(data.templates.t),
      y: Array.from(data.templates.y),
    },
    args: {
      num_samples: a.numSamples,
      train_split: a.trainSplit,
      template_len: a.templateLen,
      padding: [...a.padding],
      scale_coeff: a.scaleCoeff,
      max_translation: a.maxTranslation,
      corr_noise_scale: a.corrNoiseScale,
      iid_noise_scale: a.iidNoiseScale,
      shear_scale: a.shearScale,
      shuffle_seq: a.shuffleSeq,
      final_seq_length: a.finalSeqLength,
      seed: a.seed,
    },
    normalisation: data.normalisation,
  });
}

/** The `.npy` files the CLI writes, by file name. */
export function mnist1dToNpyFiles(data: Mnist1dDataset): Record<string, Uint8Array> {
  const { shape, templates } = data;
  return {
    "x.npy": encodeNpy(data.x, shape.train),
    "y.npy": encodeNpy(data.y, [shape.train[0]]),
    "x_test.npy": encodeNpy(data.xTest, shape.test),
    "y_test.npy": encodeNpy(data.yTest, [shape.test[0]]),
    "t.npy": encodeNpy(data.t),
    "templates_x.npy": encodeNpy(templates.x, templates.shape),
    "templates_t.npy": encodeNpy(templates.t),
    "templates_y.npy": encodeNpy(templates.y),
  };
}

/** Runs the `mnist1d` command; resolves to the process exit code (0 ok, 2 usage error). */
export async function runMnist1dCli(
  argv: readonly string[],
  io: CliIo = { stdout: (s) => process.stdout.write(s), stderr: (s) => process.stderr.write(s) },
): Promise<number> {
  let parsed: ReturnType<typeof parseMnist1dCliArgs>;
  try {
    parsed = parseMnist1dCliArgs(argv);
  } catch (error) {
    io.stderr(`mnist1d: ${(error as Error).message}\nRun "mnist1d --help" for usage.\n`);
    return 2;
  }
  if (parsed.help) {
    io.stdout(HELP);
    return 0;
  }
  const started = performance.now();
  const data = makeMnist1d(parsed.args);
  const elapsed = performance.now() - started;
  const dir = resolve(parsed.out);
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  if (parsed.format !== "json") {
    for (const [name, bytes] of Object.entries(mnist1dToNpyFiles(data))) {
      await writeFile(join(dir, name), bytes);
      written.push(name);
    }
  }
  if (parsed.format !== "npy") {
    await writeFile(join(dir, "mnist1d.json"), mnist1dToJson(data));
    written.push("mnist1d.json");
  }
  io.stdout(
    `MNIST-1D: ${data.shape.train[0]} train / ${data.shape.test[0]} test × ${data.shape.train[1]} ` +
      `(generated in ${elapsed.toFixed(0)} ms)\nwrote ${written.join(", ")} to ${dir}\n`,
  );
  return 0;
}
