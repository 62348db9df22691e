// The part of jsdom 29 the plot renderer uses (jsdom ships no types; @types/jsdom lags its majors).
declare module "jsdom" {
  export class JSDOM {
    constructor(html?: string);
    readonly window: { readonly document: Document };
  }
}
