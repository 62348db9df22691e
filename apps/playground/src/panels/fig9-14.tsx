import { METHODS, SETS } from "../taxonomy.js";
import { Panel } from "../ui/panel.js";
import type { Route } from "../ui/router.js";

export function Fig914({ route: _route }: { route: Route }) {
  return (
    <Panel
      id="fig-9-14"
      figure="Figure 9.14"
      title="Regularisation methods by mechanism"
      intro={<p>
        The chapter's regularisers work through four mechanisms: they make the learned function smoother, increase the
        (effective) amount of data, combine several models, or steer training towards wider minima. Methods with a live
        panel in this playground are links.
      </p>}
      controls={<span class="hint">A static diagram: select a method to open its figure.</span>}
      caption={{
        tryThis: <>follow a link to see the method at work; dropout is the only method in three sets.</>,
        equations: <>none: membership as in the book's figure 9.14 (CHAPTER9 §2).</>,
      }}
    >
      <figure class="taxonomy">
        <svg viewBox="0 0 700 420" role="group" aria-labelledby="tax-title" data-testid="taxonomy">
          <title id="tax-title">Venn diagram of regularisation methods in four sets</title>
          {SETS.map((s) => (
            <g key={s.key} aria-hidden="true">
              <ellipse cx={s.cx} cy={s.cy} rx={190} ry={120} fill={s.color} fill-opacity={0.12} stroke={s.color} stroke-width={2} />
            </g>
          ))}
          {SETS.map((s, i) => (
            <text key={s.key} x={i % 2 === 0 ? 70 : 630} y={i < 2 ? 40 : 410} text-anchor={i % 2 === 0 ? "start" : "end"}
              fill="currentColor" font-size="15" font-weight="600">{`(${s.key}) ${s.label}`}</text>
          ))}
          {METHODS.map((m) => {
            const label = <text x={m.x} y={m.y} text-anchor="middle" font-size="14" fill="currentColor">{m.name}</text>;
            return m.href
              ? <a key={m.name} href={m.href} data-testid={`method-${m.name}`}>{label}</a>
              : <g key={m.name}>{label}</g>;
          })}
        </svg>
      </figure>
      <div class="table-scroll" role="region" aria-label="Methods and their mechanisms" tabIndex={0}>
        <table class="numbers" data-testid="taxonomy-table">
          <thead><tr><th>method</th>{SETS.map((s) => <th key={s.key} title={s.label}>{s.key}</th>)}</tr></thead>
          <tbody>
            {METHODS.map((m) => (
              <tr key={m.name}>
                <td>{m.href ? <a href={m.href}>{m.name}</a> : m.name}</td>
                {SETS.map((s) => <td key={s.key}>{m.sets.includes(s.key) ? "✓" : ""}</td>)}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Panel>
  );
}
