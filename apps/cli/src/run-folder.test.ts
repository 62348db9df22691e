import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { CHECKPOINT_FILE, RunFolder } from "./run-folder.ts";

const root = mkdtempSync(join(tmpdir(), "regularize-folder-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("RunFolder.checkpointStore", () => {
  it("writes saves at once when the interval has passed since the last write (or the start)", () => {
    const folder = new RunFolder(join(root, "c"));
    const written: (number | undefined)[] = [];
    const store = folder.checkpointStore((step) => written.push(step), 0);
    store.save({ w: [1, 2] }, { step: 5 });
    store.save({ w: [3, 4] }, { step: 6 });
    expect(written).toEqual([5, 6]);
    expect(readFileSync(folder.path(CHECKPOINT_FILE), "utf8")).toBe(`${JSON.stringify({ step: 6, state: { w: [3, 4] } })}\n`);
  });

  it("keeps saves within the interval until flush, each as it was when saved", () => {
    const folder = new RunFolder(join(root, "a"));
    const written: (number | undefined)[] = [];
    const store = folder.checkpointStore((step) => written.push(step), 60_000);
    const read = () => readFileSync(folder.path(CHECKPOINT_FILE), "utf8");
    const state = { loss: [1, 0.5], params: { w: [0.25, -0.125] }, key: null as number[] | null };
    store.save(state, { step: 10 });
    expect(written).toEqual([]);
    expect(folder.has(CHECKPOINT_FILE)).toBe(false);
    store.flush();
    expect(written).toEqual([10]);
    expect(read()).toBe(`${JSON.stringify({ step: 10, state })}\n`);
    // kept (as a copy) until flush, whatever the entry does to its arrays meanwhile
    state.loss.push(0.25);
    state.params.w[0] = 0.5;
    const expected = `${JSON.stringify({ step: 20, state })}\n`;
    store.save(state, { step: 20 });
    state.loss.push(0.125);
    state.params.w[1] = 9;
    state.key = [1, 2];
    expect(written).toEqual([10]);
    store.flush();
    expect(written).toEqual([10, 20]);
    expect(read()).toBe(expected);
    store.flush(); // nothing pending: no write
    expect(written).toEqual([10, 20]);
    expect(store.load()).toEqual(JSON.parse(expected).state);
    expect(folder.checkpointStep()).toBe(20);
  });

  it("serialises a state that is not plain JSON data at save time, as JSON.stringify does", () => {
    const folder = new RunFolder(join(root, "b"));
    const store = folder.checkpointStore(undefined, 60_000);
    const state = { at: new Date(0), n: [1, 2] };
    const expected = `${JSON.stringify({ step: 2, state })}\n`;
    store.save(state, { step: 2 });
    state.at = new Date(1);
    state.n.push(3);
    store.flush();
    expect(readFileSync(folder.path(CHECKPOINT_FILE), "utf8")).toBe(expected);
  });
});
