import { buildProgram } from "./program.ts";

await buildProgram().parseAsync(process.argv);
// queue clients and pools may hold handles open: leave once the command is done
process.exit(process.exitCode ?? 0);
