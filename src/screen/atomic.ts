/**
 * Files that appear whole or not at all: written to a temporary name in the same directory, flushed
 * to disk, then renamed over the target (rename is atomic on POSIX file systems), so a run killed at
 * any moment never leaves a half-written output or checkpoint behind.
 */
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { open } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

const tmpName = (path: string): string =>
  join(dirname(path), `.${basename(path)}.tmp-${process.pid}-${Math.random().toString(36).slice(2, 8)}`);

/** Writes `text` to `path` atomically (synchronous; small files: state, summaries). */
export function writeFileAtomic(path: string, text: string): void {
  const tmp = tmpName(path);
  const fd = openSync(tmp, "w");
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}

/** A file written piece by piece and committed atomically by `commit()` (large outputs). */
export interface AtomicWriter {
  write(text: string): Promise<void>;
  commit(): Promise<void>;
  abort(): Promise<void>;
}

export async function openAtomic(path: string): Promise<AtomicWriter> {
  const tmp = tmpName(path);
  const handle = await open(tmp, "w");
  let pending = "";
  const flush = async () => {
    if (pending.length === 0) return;
    const text = pending;
    pending = "";
    await handle.write(text);
  };
  return {
    async write(text) {
      pending += text;
      if (pending.length >= 1 << 20) await flush();
    },
    async commit() {
      await flush();
      await handle.sync();
      await handle.close();
      renameSync(tmp, path);
    },
    async abort() {
      await handle.close().catch(() => undefined);
      rmSync(tmp, { force: true });
    },
  };
}

/** True for the temporary files of writeFileAtomic / openAtomic (left behind by a killed run). */
export const isAtomicTemp = (name: string): boolean => /^\..+\.tmp-\d+-[a-z0-9]+$/.test(name);
