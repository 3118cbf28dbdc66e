/**
 * The `--arch` flag shared by `rho`, `kernel` and `predict`: the network as text (src/arch/parse.ts),
 * its grammar appended to the command's --help.
 */
import type { Command } from "commander";
import { ARCH_SYNTAX_HELP } from "../index.js";

/** Declares --arch on `command` and appends the grammar to its help. */
export function addArchOption(command: Command): Command {
  return command
    .option(
      "--arch <text>",
      "network architecture in the text syntax below (default: the ReLU network, 'relu dense'); dense layers without arguments take --sigma-w, --sigma-b",
    )
    .addHelpText("after", `\n${ARCH_SYNTAX_HELP}\n`);
}
