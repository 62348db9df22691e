import { checkUpdateArgs } from "./validate.js";
import type { EmptyState, Transformation } from "./transformation.js";

/** The transform that returns its updates unchanged (the unit of `chain`). */
export function identity(): Transformation<EmptyState> {
  return {
    init: () => ({}),
    update: (updates, state) => {
      checkUpdateArgs("identity", updates, state);
      return [updates, state];
    },
  };
}
