import type { ComponentType } from "preact";
import { Fig91 } from "./panels/fig9-1.js";
import { Fig92 } from "./panels/fig9-2.js";
import { Fig93 } from "./panels/fig9-3.js";
import { Fig94 } from "./panels/fig9-4.js";
import { Fig96 } from "./panels/fig9-6.js";
import { Fig99 } from "./panels/fig9-9.js";
import { Fig910 } from "./panels/fig9-10.js";
import { Mnist1dExplorer } from "./panels/mnist1d.js";
import { type Route, useRoute } from "./ui/router.js";

export interface PanelEntry {
  readonly path: string;
  readonly figure: string;
  readonly title: string;
  readonly technique: string;
  readonly component: ComponentType<{ route: Route }> | null;
}

export const PANELS: readonly PanelEntry[] = [
  { path: "/fig-9-1", figure: "Figure 9.1", title: "Explicit regularisation (Gabor model)",
    technique: "Adding λ·g(φ) to the loss removes local minima and moves the global one towards the prior's centre.", component: Fig91 },
  { path: "/fig-9-2", figure: "Figure 9.2", title: "L2 regularisation of the 14-unit network",
    technique: "Ridge regression (closed form) on the simplified ReLU network: larger λ gives smoother fits.", component: Fig92 },
  { path: "/fig-9-3", figure: "Figure 9.3", title: "Implicit regularisation of gradient descent",
    technique: "Finite-step gradient descent follows the gradient flow of a modified loss that penalises the gradient norm.", component: Fig93 },
  { path: "/fig-9-4", figure: "Figure 9.4", title: "Implicit regularisation of SGD",
    technique: "SGD adds a penalty on the variance of the batch gradients to the modified loss of gradient descent.", component: Fig94 },
  { path: "/fig-9-6", figure: "Figure 9.6", title: "Early stopping",
    technique: "Stop training (and restore the best weights) when the loss on held-out data stops improving.", component: Fig96 },
  { path: "/fig-9-9", figure: "Figure 9.9", title: "Dropout removes a kink",
    technique: "Randomly switching hidden units off penalises functions that rely on units cancelling each other.", component: Fig99 },
  { path: "/fig-9-10", figure: "Figure 9.10", title: "Noise on the inputs",
    technique: "Training on jittered inputs smooths the fitted function (for linear models it is L2 on the slope).", component: Fig910 },
  { path: "/mnist1d", figure: "MNIST-1D", title: "MNIST-1D generator explorer",
    technique: "The small 1-D benchmark used throughout the chapter, generated step by step from its templates.", component: Mnist1dExplorer },
];

function Home() {
  return (
    <main class="home">
      <h1>Regularisation, live</h1>
      <p class="lede">
        The figures of chapter 9 (“Regularization”) of <em>Understanding Deep Learning</em> as experiments you can run
        in your browser. Every number is computed here, in a Web Worker, by the <code>@regularize</code> packages.
      </p>
      <ul class="panel-list">
        {PANELS.map((p) => (
          <li key={p.path}>
            <a href={`#${p.path}`} data-testid={`link${p.path.replaceAll("/", "-")}`}>
              <span class="fig">{p.figure}</span> {p.title}
            </a>
            <p>{p.technique}</p>
          </li>
        ))}
      </ul>
    </main>
  );
}

export function App() {
  const route = useRoute();
  const entry = PANELS.find((p) => p.path === route.path);
  if (!entry || !entry.component) return <Home />;
  const C = entry.component;
  return <C key={entry.path} route={route} />;
}
