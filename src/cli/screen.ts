/**
 * `vitd-cds screen …` and `vitd-cds screen-merge …` (src/screen/README.md): argument parsing, exit codes
 * and where progress goes; the work is src/screen/. Exit codes: 0 done, 2 bad arguments (or an --out
 * holding another run), 1 the input could not be read (directory, files, the Bulk Data server).
 */
import { parseScreenArgs, SCREEN_USAGE } from "../screen/args";
import { InputError } from "../screen/input-files";
import { mergeShards } from "../screen/merge";
import type { ProgressSink } from "../screen/progress";
import { runScreen, UsageError, type ScreenDeps } from "../screen/run";

export interface CliIoLike {
  out: (text: string) => void;
  err: (text: string) => void;
}

export interface ScreenCliDeps {
  screen?: Partial<ScreenDeps>;
}

const stderrSink = (): ProgressSink => ({
  isTTY: process.stderr.isTTY === true,
  write: (text) => void process.stderr.write(text),
  columns: process.stderr.columns || 100,
});

async function run(command: "screen" | "screen-merge", argv: readonly string[], io: CliIoLike, deps: ScreenCliDeps): Promise<number> {
  const args = parseScreenArgs([command, ...argv]);
  if ("error" in args) {
    io.err(`vitd-cds: ${args.error}\n\n${SCREEN_USAGE}`);
    return 2;
  }
  if (args.command === "help") {
    io.out(SCREEN_USAGE);
    return 0;
  }
  const log = deps.screen?.log ?? stderrSink();
  try {
    if (args.command === "screen-merge") {
      await mergeShards(args, (t) => log.write(`${t}\n`));
    } else {
      await runScreen(args, { ...deps.screen, log });
    }
    return 0;
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`vitd-cds: ${err.message}`);
      return 2;
    }
    if (err instanceof InputError) {
      io.err(`vitd-cds: ${err.message}`);
      return 1;
    }
    io.err(`vitd-cds: screening failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    return 1;
  }
}

/** `vitd-cds screen` (argv without the command name). */
export const runScreenCommand = (argv: readonly string[], io: CliIoLike, deps: ScreenCliDeps = {}): Promise<number> =>
  run("screen", argv, io, deps);

/** `vitd-cds screen-merge` (argv without the command name). */
export const runScreenMergeCommand = (argv: readonly string[], io: CliIoLike, deps: ScreenCliDeps = {}): Promise<number> =>
  run("screen-merge", argv, io, deps);
