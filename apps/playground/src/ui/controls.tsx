import type { ComponentChildren } from "preact";
import { useId } from "preact/hooks";

export function Slider(props: {
  label: ComponentChildren;
  /** Accessible name (plain text) for screen readers. */
  name: string;
  value: number;
  min: number;
  max: number;
  step: number;
  onChange: (v: number) => void;
  format?: (v: number) => string;
  testId?: string;
}) {
  const id = useId();
  const fmt = props.format ?? ((v: number) => String(v));
  return (
    <div class="control">
      <label for={id}>{props.label}</label>
      <input
        id={id}
        type="range"
        aria-label={props.name}
        min={props.min}
        max={props.max}
        step={props.step}
        value={props.value}
        data-testid={props.testId}
        onInput={(e) => props.onChange(Number((e.currentTarget as HTMLInputElement).value))}
      />
      <output for={id} aria-live="off">{fmt(props.value)}</output>
    </div>
  );
}

export function Select<T extends string | number>(props: {
  label: ComponentChildren;
  name: string;
  value: T;
  options: readonly (readonly [T, string])[];
  onChange: (v: T) => void;
  testId?: string;
}) {
  const id = useId();
  return (
    <div class="control">
      <label for={id}>{props.label}</label>
      <select
        id={id}
        aria-label={props.name}
        data-testid={props.testId}
        value={String(props.value)}
        onChange={(e) => {
          const raw = (e.currentTarget as HTMLSelectElement).value;
          const hit = props.options.find(([v]) => String(v) === raw);
          if (hit) props.onChange(hit[0]);
        }}
      >
        {props.options.map(([v, text]) => (
          <option key={String(v)} value={String(v)}>{text}</option>
        ))}
      </select>
    </div>
  );
}

export function Presets<T extends number>(props: {
  label: string;
  value: T;
  values: readonly T[];
  format?: (v: T) => string;
  onChange: (v: T) => void;
  testId?: string;
}) {
  const fmt = props.format ?? ((v: T) => String(v));
  return (
    <div class="control presets" role="group" aria-label={props.label} data-testid={props.testId}>
      <span class="preset-label">{props.label}</span>
      {props.values.map((v) => (
        <button
          type="button"
          key={String(v)}
          aria-pressed={v === props.value}
          class={v === props.value ? "active" : ""}
          onClick={() => props.onChange(v)}
        >
          {fmt(v)}
        </button>
      ))}
    </div>
  );
}

export function Checkbox(props: { label: string; value: boolean; onChange: (v: boolean) => void; testId?: string }) {
  const id = useId();
  return (
    <div class="control checkbox">
      <input id={id} type="checkbox" checked={props.value} data-testid={props.testId}
        onChange={(e) => props.onChange((e.currentTarget as HTMLInputElement).checked)} />
      <label for={id}>{props.label}</label>
    </div>
  );
}

export function NumberInput(props: {
  label: ComponentChildren; name: string; value: number; min?: number; max?: number; step?: number;
  onChange: (v: number) => void; testId?: string;
}) {
  const id = useId();
  return (
    <div class="control">
      <label for={id}>{props.label}</label>
      <input id={id} type="number" aria-label={props.name} value={props.value} min={props.min} max={props.max}
        step={props.step} data-testid={props.testId}
        onChange={(e) => {
          const v = Number((e.currentTarget as HTMLInputElement).value);
          if (Number.isFinite(v)) props.onChange(v);
        }} />
    </div>
  );
}
