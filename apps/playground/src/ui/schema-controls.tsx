import type { ComponentChildren } from "preact";
import { Checkbox, NumberInput, Presets, Select, Slider } from "./controls.js";
import type { ParamInfo } from "./schema-state.js";

/** How a panel wants one param shown; everything is optional (the schema decides the rest). */
export interface ControlHint {
  readonly label?: ComponentChildren;
  /** Narrower slider range than the schema allows (URL values outside stay valid, clamped to the schema). */
  readonly min?: number;
  readonly max?: number;
  readonly step?: number;
  /** Log-scale slider (base 10). */
  readonly log?: boolean;
  readonly format?: (v: number) => string;
  /** Buttons for these values instead of a slider. */
  readonly presets?: readonly number[];
  readonly presetFormat?: (v: number) => string;
  readonly control?: "slider" | "number";
  readonly hidden?: boolean;
}

const SLIDER_STEPS = 100;

function niceStep(min: number, max: number, integer: boolean): number {
  if (integer) return Math.max(1, Math.round((max - min) / SLIDER_STEPS));
  const raw = (max - min) / SLIDER_STEPS;
  const p = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw) ?? raw;
}

/** Controls for a params schema: sliders for bounded numbers, number inputs otherwise, selects, checkboxes. */
export function SchemaControls(props: {
  infos: readonly ParamInfo[];
  values: Record<string, unknown>;
  set: (patch: Record<string, unknown>) => void;
  hints?: Readonly<Record<string, ControlHint>>;
  /** Only these keys, in this order (default: every param with a hint that is not hidden, else all). */
  keys?: readonly string[];
}) {
  const hints = props.hints ?? {};
  const keys = props.keys ?? props.infos.map((i) => i.key);
  return (
    <>
      {keys.map((key) => {
        const info = props.infos.find((i) => i.key === key);
        if (!info) return null;
        const h = hints[key] ?? {};
        if (h.hidden) return null;
        const label = h.label ?? key;
        const name = info.description ?? key;
        const v = props.values[key];
        const testId = `param-${key}`;
        if (info.type === "boolean") {
          return <Checkbox key={key} label={typeof label === "string" ? label : name} value={Boolean(v)} onChange={(b) => props.set({ [key]: b })} testId={testId} />;
        }
        if (info.type === "enum") {
          const numeric = typeof info.default === "number";
          return <Select key={key} label={label} name={name} value={String(v)} testId={testId}
            options={(info.options ?? []).map((o) => [o, o] as const)}
            onChange={(o) => props.set({ [key]: numeric ? Number(o) : o })} />;
        }
        if (info.type === "number" || info.type === "integer") {
          const n = Number(v);
          const integer = info.type === "integer";
          const clampToSchema = (x: number) => Math.min(info.max ?? Infinity, Math.max(info.min ?? -Infinity, integer ? Math.round(x) : x));
          if (h.presets) {
            return <Presets key={key} label={typeof label === "string" ? label : name} value={n} values={h.presets}
              {...(h.presetFormat ? { format: h.presetFormat } : {})} onChange={(x) => props.set({ [key]: x })} testId={testId} />;
          }
          const lo = h.min ?? info.min, hi = h.max ?? info.max;
          if (h.control !== "number" && lo !== undefined && hi !== undefined && Number.isFinite(lo) && Number.isFinite(hi)) {
            if (h.log) {
              const a = Math.log10(lo), b = Math.log10(hi);
              return <Slider key={key} label={label} name={`${name} (log scale)`} value={Math.log10(Math.max(n, lo))} min={a} max={b}
                step={(b - a) / SLIDER_STEPS} testId={testId} format={() => (h.format ?? fmt)(n)}
                onChange={(x) => props.set({ [key]: clampToSchema(+(10 ** x).toPrecision(3)) })} />;
            }
            return <Slider key={key} label={label} name={name} value={n} min={lo} max={hi} step={h.step ?? niceStep(lo, hi, integer)}
              testId={testId} format={h.format ?? fmt} onChange={(x) => props.set({ [key]: clampToSchema(x) })} />;
          }
          return <NumberInput key={key} label={label} name={name} value={n} {...(info.min !== undefined ? { min: info.min } : {})}
            {...(info.max !== undefined ? { max: info.max } : {})} step={h.step ?? (integer ? 1 : "any" as unknown as number)} testId={testId}
            onChange={(x) => props.set({ [key]: clampToSchema(x) })} />;
        }
        return null;
      })}
    </>
  );
}

const fmt = (v: number) => (v === 0 ? "0" : Math.abs(v) >= 0.01 && Math.abs(v) < 1e5 ? String(+v.toPrecision(3)) : v.toExponential(1));
