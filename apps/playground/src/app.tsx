import { useEffect, useState } from "preact/hooks";
import { findRoute, type PanelComponent, ROUTES, type RouteEntry } from "./routes.js";
import { useRoute } from "./ui/router.js";

function FigureList() {
  return (
    <ul class="panel-list">
      {ROUTES.map((p) => (
        <li key={p.path}>
          <a href={`#${p.path}`} data-testid={`link${p.path.replaceAll("/", "-")}`}>
            <span class="fig">{p.figure}</span> {p.title}
          </a>
          <p>{p.technique}</p>
        </li>
      ))}
    </ul>
  );
}

function Home() {
  return (
    <>
      <h1>Regularisation, live</h1>
      <p class="lede">
        The figures of chapter 9 (“Regularization”) of <em>Understanding Deep Learning</em> as experiments you can run
        in your browser. Every number is computed here, in a Web Worker, by the <code>@regularize</code> packages.
      </p>
      <FigureList />
    </>
  );
}

function NotFound(props: { path: string }) {
  return (
    <div data-testid="not-found">
      <h1>Not found</h1>
      <p class="lede">There is no page at <code>{props.path}</code>. These are the figures of the playground:</p>
      <FigureList />
    </div>
  );
}

const loaded = new Map<string, PanelComponent>();

function LazyPanel(props: { entry: RouteEntry }) {
  const route = useRoute();
  const [C, setC] = useState<PanelComponent | null>(() => loaded.get(props.entry.path) ?? null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (C) return;
    let live = true;
    props.entry.load().then((c) => { loaded.set(props.entry.path, c); if (live) setC(() => c); },
      (e: unknown) => { if (live) setError(e instanceof Error ? `${e.name}: ${e.message}` : String(e)); });
    return () => { live = false; };
  }, [props.entry.path]);
  if (error) return <p class="error" role="alert">Could not load this figure: {error}</p>;
  if (!C) return <p class="loading" aria-busy="true">Loading {props.entry.figure}…</p>;
  if (performance.getEntriesByName("panel-mounted").length === 0) performance.mark("panel-mounted");
  return <C route={route} />;
}

export function App() {
  const route = useRoute();
  const entry = findRoute(route.path);
  useEffect(() => {
    document.title = entry ? `${entry.figure}: ${entry.title} — Regularize` : route.path === "/" ? "Regularize — Chapter 9 playground" : "Not found — Regularize";
  }, [entry, route.path]);
  return (
    <main id="main">
      {route.path === "/" ? <Home /> : entry ? <LazyPanel key={entry.path} entry={entry} /> : <NotFound path={route.path} />}
    </main>
  );
}
