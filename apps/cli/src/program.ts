import { Command } from "commander";
import { registerListCommand } from "./commands/list.ts";
import { registerRunCommands } from "./commands/run.ts";
import { registerSweepCommands } from "./sweep/register.ts";

/** The `regularize` command line. */
export function buildProgram(opts: { throwOnError?: boolean } = {}): Command {
  const program = new Command("regularize")
    .description("Run the Regularization chapter's experiments headless.")
    .showHelpAfterError();
  // set before the subcommands are added, which copy these settings
  if (opts.throwOnError) program.exitOverride().configureOutput({ writeErr: () => {}, writeOut: () => {} });

  registerRunCommands(program);
  registerListCommand(program);
  registerSweepCommands(program);

  return program;
}
