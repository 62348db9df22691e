import { libraryConfig } from "../../tsup.shared.ts";

export default libraryConfig(["src/index.ts", "src/member-worker.ts", "src/member-trainer.ts"]);
