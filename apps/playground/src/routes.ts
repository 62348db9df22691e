import type { ComponentType } from "preact";
import type { Route } from "./ui/router.js";

export type PanelComponent = ComponentType<{ route: Route }>;

export interface RouteEntry {
  readonly path: string;
  readonly figure: string;
  readonly title: string;
  readonly technique: string;
  /** The panel's code, fetched when the route is first opened (one chunk per figure). */
  readonly load: () => Promise<PanelComponent>;
}

/** Every live panel, in the chapter's order. */
export const ROUTES: readonly RouteEntry[] = [
  { path: "/fig-9-1", figure: "Figure 9.1", title: "Explicit regularisation (Gabor model)",
    technique: "Adding λ·g(φ) to the loss removes local minima and moves the global one towards the prior's centre.",
    load: () => import("./panels/fig9-1.js").then((m) => m.Fig91) },
  { path: "/fig-9-2", figure: "Figure 9.2", title: "L2 regularisation of the 14-unit network",
    technique: "Ridge regression (closed form) on the simplified ReLU network: larger λ gives smoother fits.",
    load: () => import("./panels/fig9-2.js").then((m) => m.Fig92) },
  { path: "/fig-9-3", figure: "Figure 9.3", title: "Implicit regularisation of gradient descent",
    technique: "Finite-step gradient descent follows the gradient flow of a modified loss that penalises the gradient norm.",
    load: () => import("./panels/fig9-3.js").then((m) => m.Fig93) },
  { path: "/fig-9-4", figure: "Figure 9.4", title: "Implicit regularisation of SGD",
    technique: "SGD adds a penalty on the variance of the batch gradients to the modified loss of gradient descent.",
    load: () => import("./panels/fig9-4.js").then((m) => m.Fig94) },
  { path: "/fig-9-5", figure: "Figure 9.5", title: "Learning rate and batch size on MNIST-1D",
    technique: "Larger learning rates and smaller batches add gradient noise that regularises: a grid trained live, or a sweep loaded.",
    load: () => import("./panels/fig9-5.js").then((m) => m.Fig95) },
  { path: "/fig-9-6", figure: "Figure 9.6", title: "Early stopping",
    technique: "Stop training (and restore the best weights) when the loss on held-out data stops improving.",
    load: () => import("./panels/fig9-6.js").then((m) => m.Fig96) },
  { path: "/fig-9-7", figure: "Figure 9.7", title: "Ensembling by bagging",
    technique: "Fit models on bootstrap resamples of the data and average (or take the median of) their predictions.",
    load: () => import("./panels/fig9-7.js").then((m) => m.Fig97) },
  { path: "/fig-9-8", figure: "Figure 9.8", title: "Dropout: masks, weight scaling and MC dropout",
    technique: "Hidden units switched off at random while training; at test time scale the weights, or average many masked passes.",
    load: () => import("./panels/fig9-8.js").then((m) => m.Fig98) },
  { path: "/fig-9-9", figure: "Figure 9.9", title: "Dropout removes a kink",
    technique: "Randomly switching hidden units off penalises functions that rely on units cancelling each other.",
    load: () => import("./panels/fig9-9.js").then((m) => m.Fig99) },
  { path: "/fig-9-10", figure: "Figure 9.10", title: "Noise on the inputs",
    technique: "Training on jittered inputs smooths the fitted function (for linear models it is L2 on the slope).",
    load: () => import("./panels/fig9-10.js").then((m) => m.Fig910) },
  { path: "/fig-9-11", figure: "Figure 9.11", title: "Bayesian posterior of the 14-unit network",
    technique: "Average over all parameters weighted by their posterior: samples, predictive band, and the prior variance σ_p².",
    load: () => import("./panels/fig9-11.js").then((m) => m.Fig911) },
  { path: "/fig-9-12", figure: "Figure 9.12", title: "Transfer, multi-task and self-supervised learning",
    technique: "Borrow structure from related tasks or unlabelled data when labels are few (a 1-D analogue of the book's schematic).",
    load: () => import("./panels/fig9-12.js").then((m) => m.Fig912) },
  { path: "/fig-9-13", figure: "Figure 9.13", title: "Data augmentation",
    technique: "Label-preserving transforms multiply the training data: a 1-D gallery and notebook 9.5's comparison.",
    load: () => import("./panels/fig9-13.js").then((m) => m.Fig913) },
  { path: "/fig-9-14", figure: "Figure 9.14", title: "Taxonomy of regularisation methods",
    technique: "Four mechanisms — smoother functions, more data, combined models, wider minima — and which method uses which.",
    load: () => import("./panels/fig9-14.js").then((m) => m.Fig914) },
  { path: "/lab", figure: "Plugin lab", title: "Compose regularisers on MNIST-1D",
    technique: "Any plugin of any package, options from their schemas, configurations trained side by side; the setup is in the URL.",
    load: () => import("./panels/lab.js").then((m) => m.Lab) },
  { path: "/mnist1d", figure: "MNIST-1D", title: "MNIST-1D generator explorer",
    technique: "The small 1-D benchmark used throughout the chapter, generated step by step from its templates.",
    load: () => import("./panels/mnist1d.js").then((m) => m.Mnist1dExplorer) },
];

export function findRoute(path: string): RouteEntry | undefined {
  return ROUTES.find((r) => r.path === path);
}
