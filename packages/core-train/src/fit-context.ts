import type { PRNGKey, Tensor, Tree } from "@regularize/core-autodiff";
import type { History } from "./history.js";
import type { Batch, CancelScope, Dataset, FitContext, FitEvent } from "./plugin.js";

/** @internal What a plugin's FitContext reads and asks of the running fit. */
export interface RunView {
  readonly step: number;
  readonly epoch: number;
  readonly params: Tree;
  readonly batch: Batch | undefined;
  readonly loss: number | undefined;
  readonly event: FitEvent;
  readonly pred: Tensor | undefined;
  readonly dataLoss: number | undefined;
  readonly grads: Tree | undefined;
  readonly data: Dataset;
  readonly validation: Dataset | undefined;
  readonly epochMetrics: Record<string, number> | undefined;
  readonly stepsPerEpoch: number;
  readonly totalSteps: number | undefined;
  readonly resumed: boolean;
  readonly history: History;
  /** Plugin i's committed step state (Plugin.stepState). */
  stepStateOf(i: number): unknown;
  eventKey(i: number): PRNGKey;
  requestCancel(scope: CancelScope): void;
  setParams(p: Tree): void;
  log(name: string, value: number): void;
  evaluate(params: Tree, data: Dataset): { loss: number; accuracy?: number };
}

/** @internal The FitContext a plugin's event hooks receive: a live, read-mostly view of the run (fastai's learner, read-only). */
export class PluginContext implements FitContext {
  constructor(private readonly run: RunView, private readonly i: number) {}
  get step() { return this.run.step; }
  get epoch() { return this.run.epoch; }
  get params() { return this.run.params; }
  get batch() { return this.run.batch; }
  get loss() { return this.run.loss; }
  get key() { return this.run.eventKey(this.i); }
  get event() { return this.run.event; }
  get mode() { return "train" as const; }
  get pred() { return this.run.pred; }
  get dataLoss() { return this.run.dataLoss; }
  get grads() { return this.run.grads; }
  get data() { return this.run.data; }
  get validation() { return this.run.validation; }
  get metrics() { return this.run.epochMetrics; }
  get stepsPerEpoch() { return this.run.stepsPerEpoch; }
  get totalSteps() { return this.run.totalSteps; }
  get resumed() { return this.run.resumed; }
  get history(): History { return this.run.history; }
  get stepState() { return this.run.stepStateOf(this.i); }
  cancel(scope: CancelScope): void { this.run.requestCancel(scope); }
  setParams(params: Tree): void { this.run.setParams(params); }
  log(name: string, value: number): void { this.run.log(name, value); }
  evaluate(params: Tree, data: Dataset) { return this.run.evaluate(params, data); }
}
