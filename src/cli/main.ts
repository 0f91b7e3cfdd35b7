#!/usr/bin/env node
/**
 * `npx vitd-cds evaluate --fhir <base> --patient <id> [--hook patient-view|order-select|order-sign] [--draft <file|JSON>]
 * [--token <bearer>] [--json]` — see src/cli/README.md.
 * Exit codes: 0 success (cards or none), 2 bad arguments (and no arguments at all: usage), 1 the FHIR server could not be read.
 */
import { CdsError } from "../errors";
import { parseArgs, USAGE } from "./args";
import { DraftError, describeEvaluation, evaluate, type EvaluateDeps } from "./evaluate";
import { formatCards } from "./format";
import { runScreenCommand, runScreenMergeCommand } from "./screen";

export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  /** Colour the human output (a terminal, NO_COLOR unset); default off. */
  color?: boolean;
  /** Terminal width for wrapping and tables; default 100. */
  columns?: number;
}

/** A subcommand: its own arguments (after the command name) and the terminal; its dependencies are its own business. */
export type CliCommand = (argv: readonly string[], io: CliIo) => Promise<number>;

async function runEvaluate(argv: readonly string[], io: CliIo, deps: EvaluateDeps): Promise<number> {
  const args = parseArgs(argv);
  if ("error" in args) {
    io.err(`vitd-cds: ${args.error}\n\n${USAGE}`);
    return 2;
  }
  if (args.command === "help") {
    io.out(USAGE);
    return 0;
  }
  try {
    const evaluated = args.json ? [] : describeEvaluation(args);
    const response = await evaluate(args, deps);
    io.out(args.json ? JSON.stringify(response) : formatCards(response, { evaluated, color: io.color === true, width: io.columns ?? 100 }));
    return 0;
  } catch (err) {
    if (err instanceof DraftError) {
      io.err(`vitd-cds: ${err.message}`);
      return 2;
    }
    if (err instanceof CdsError && err.code === "invalid_request") {
      io.err(`vitd-cds: ${err.message}`);
      return 2;
    }
    io.err(`vitd-cds: cannot read the FHIR server: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
}

/** Subcommands other than `evaluate` (the default parser handles evaluate, help and unknown commands). */
const COMMANDS: Record<string, CliCommand> = { screen: runScreenCommand, "screen-merge": runScreenMergeCommand };

export async function runCli(argv: readonly string[], io: CliIo, deps: EvaluateDeps = {}): Promise<number> {
  const command = argv[0] !== undefined ? COMMANDS[argv[0]] : undefined;
  return command ? command(argv.slice(1), io) : runEvaluate(argv, io, deps);
}

/** Colour only for a terminal, and never with NO_COLOR (https://no-color.org) or TERM=dumb. */
export function wantsColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  return stream.isTTY === true && !env["NO_COLOR"] && env["TERM"] !== "dumb";
}

if (require.main === module) {
  const io: CliIo = {
    out: (t) => process.stdout.write(`${t}\n`),
    err: (t) => process.stderr.write(`${t}\n`),
    color: wantsColor(process.stdout, process.env),
    columns: process.stdout.columns || 100,
  };
  void runCli(process.argv.slice(2), io).then((code) => {
    process.exitCode = code;
  });
}
