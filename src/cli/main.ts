#!/usr/bin/env node
/**
 * `npx vitd-cds evaluate --fhir <base> --patient <id> [--hook patient-view|order-sign] [--token <bearer>] [--json]`
 * Exit codes: 0 success (cards or none), 2 bad arguments, 1 the FHIR server could not be read.
 */
import { CdsError } from "../errors";
import { parseArgs, USAGE } from "./args";
import { evaluate, type EvaluateDeps } from "./evaluate";
import { formatCards } from "./format";

export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

export async function runCli(argv: readonly string[], io: CliIo, deps: EvaluateDeps = {}): Promise<number> {
  const args = parseArgs(argv);
  if ("error" in args) {
    io.err(`vitd-cds: ${args.error}\n${USAGE}`);
    return 2;
  }
  if (args.command === "help") {
    io.out(USAGE);
    return 0;
  }
  try {
    const response = await evaluate(args, deps);
    io.out(args.json ? JSON.stringify(response) : formatCards(response, `vitd-cds ${args.hook} for Patient/${args.patient} on ${args.fhir}`));
    return 0;
  } catch (err) {
    if (err instanceof CdsError && err.code === "invalid_request") {
      io.err(`vitd-cds: ${err.message}`);
      return 2;
    }
    if (err instanceof SyntaxError || (err as NodeJS.ErrnoException).code === "ENOENT") {
      io.err(`vitd-cds: cannot read --draft: ${(err as Error).message}`);
      return 2;
    }
    io.err(`vitd-cds: cannot read the FHIR server: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
}

if (require.main === module) {
  void runCli(process.argv.slice(2), { out: (t) => process.stdout.write(`${t}\n`), err: (t) => process.stderr.write(`${t}\n`) }).then((code) => {
    process.exitCode = code;
  });
}
