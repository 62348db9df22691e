import { describe, expect, it } from "vitest";
import { ReadmeExampleError, evaluateExample, readmeExamples } from "./readme-examples.js";

const md = `# x

| plugin | options |
| --- | --- |
| \`l2\` | not an example table |

| plugin | example |
| --- | --- |
| \`l2\` | \`l2({ lambda: 1e-3 })\` |
| \`p\` | \`p({ p: 1 \\| 2 })\` |

after
`;

describe("readmeExamples", () => {
  it("reads only | plugin | example | tables, unescaping pipes", () => {
    expect(readmeExamples(md)).toEqual([{ plugin: "l2", code: "l2({ lambda: 1e-3 })" }, { plugin: "p", code: "p({ p: 1 | 2 })" }]);
  });

  it("rejects a row without backticks", () => {
    expect(() => readmeExamples("| plugin | example |\n| --- | --- |\n| a | a() |\n")).toThrow(ReadmeExampleError);
  });
});

describe("evaluateExample", () => {
  it("evaluates with the scope's names", () => {
    expect(evaluateExample("twice(21)", { twice: (x: number) => 2 * x })).toBe(42);
  });

  it("names the example that does not parse", () => {
    expect(() => evaluateExample("l2({", {})).toThrow(/README example `l2\(\{`: does not parse/);
  });
});
