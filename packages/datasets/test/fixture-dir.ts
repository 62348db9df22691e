import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The shared MNIST-1D reference fixtures (shared/fixtures/mnist1d beside the repo, produced by the
 * upstream Python generator; see its README). Read in place, never copied; MNIST1D_FIXTURES overrides the path.
 */
export const FIXTURE_DIR =
  process.env.MNIST1D_FIXTURES ??
  resolve(dirname(fileURLToPath(import.meta.url)), "../../../../shared/fixtures/mnist1d");

/** False in a checkout without ../shared: the fixture tests are then skipped, naming the path. */
export const FIXTURES_PRESENT = existsSync(join(FIXTURE_DIR, "manifest.json"));
