/**
 * The NDJSON files of an export directory: every `*.ndjson` / `*.ndjson.gz` directly inside it (Bulk
 * Data names them by type, often several per type: `Observation.000.ndjson`, `Observation-2.ndjson.gz`);
 * which type a line holds is read from the line itself. The fingerprint (names, sizes, modification
 * times) ties a checkpoint to the input it was made from.
 */
import { readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";

export interface InputFile {
  /** Absolute path. */
  path: string;
  /** Name inside the directory (what reports show). */
  name: string;
  size: number;
  mtimeMs: number;
  gz: boolean;
}

export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InputError";
  }
}

export function listInputFiles(dir: string): InputFile[] {
  const abs = resolve(dir);
  let names: string[];
  try {
    if (!statSync(abs).isDirectory()) throw new InputError(`${dir} is not a directory`);
    names = readdirSync(abs);
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError(`cannot read ${dir}: ${(err as Error).message}`);
  }
  return names
    .filter((n) => /\.ndjson(\.gz)?$/i.test(n))
    .sort()
    .flatMap((name) => {
      const path = join(abs, name);
      const st = statSync(path);
      return st.isFile() ? [{ path, name, size: st.size, mtimeMs: Math.trunc(st.mtimeMs), gz: /\.gz$/i.test(name) }] : [];
    });
}

export const fingerprint = (files: readonly InputFile[]): string => JSON.stringify(files.map((f) => [f.name, f.size, f.mtimeMs]));
