/** Shared pieces of the screening tests: temp dirs, a silent progress sink, reading the outputs. */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runScreenCommand, runScreenMergeCommand } from "../../src/cli/screen";
import type { ProgressSink } from "../../src/screen/progress";

export const NOW = "2031-06-01T12:00:00.000Z";

const made: string[] = [];
export function tempDir(prefix = "vitd-screen-"): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}
export function removeTempDirs(): void {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
}

export function sink(): ProgressSink & { text: () => string } {
  const chunks: string[] = [];
  return { isTTY: false, write: (t) => void chunks.push(t), text: () => chunks.join("") };
}

export interface CliRun {
  code: number;
  out: string;
  err: string;
  log: string;
}

export async function screen(argv: string[], deps: Parameters<typeof runScreenCommand>[2] = {}): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const log = sink();
  const code = await runScreenCommand(
    argv,
    { out: (t) => out.push(t), err: (t) => err.push(t) },
    { ...deps, screen: { log, env: { SCREEN_WORKERS: "2" }, ...deps.screen } },
  );
  return { code, out: out.join("\n"), err: err.join("\n"), log: log.text() };
}

export async function merge(argv: string[]): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const log = sink();
  const code = await runScreenMergeCommand(argv, { out: (t) => out.push(t), err: (t) => err.push(t) }, { screen: { log } });
  return { code, out: out.join("\n"), err: err.join("\n"), log: log.text() };
}

export const read = (dir: string, file: string): string => readFileSync(join(dir, file), "utf8");

/** worklist.csv rows (header excluded) as [patient, pattern, indicator, summary]; simple cells only. */
export function worklistRows(dir: string): string[][] {
  return read(dir, "worklist.csv")
    .split("\r\n")
    .slice(1)
    .filter(Boolean)
    .map((line) => line.split(",").slice(0, 3));
}
