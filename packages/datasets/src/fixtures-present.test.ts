import { it } from "vitest";
import { FIXTURE_DIR, FIXTURES_PRESENT } from "../test/fixture-dir.js";

// Makes the skip visible in the counts when ../shared is absent (vitest.config.ts leaves out the fixture files).
it.skipIf(!FIXTURES_PRESENT)(`reads the shared MNIST-1D fixtures at ${FIXTURE_DIR}`, () => {});
