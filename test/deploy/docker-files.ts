/** Text-level readers for Dockerfile and .dockerignore (there is no Docker engine here to build with). */
import { readFileSync } from "node:fs";
import { join } from "node:path";

export const root = join(__dirname, "..", "..");
export const read = (file: string): string => readFileSync(join(root, file), "utf8");

export interface Stage {
  name: string;
  from: string;
  /** Instructions after FROM, continuation lines joined, comments dropped. */
  lines: string[];
}

/** Dockerfile stages in order. */
export function dockerStages(text: string): Stage[] {
  const lines = text
    .replace(/\\\n\s*/g, " ")
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("#"));
  const stages: Stage[] = [];
  for (const line of lines) {
    const from = /^FROM\s+(\S+)(?:\s+AS\s+(\S+))?/i.exec(line);
    if (from) stages.push({ from: from[1] ?? "", name: from[2] ?? String(stages.length), lines: [] });
    else stages.at(-1)?.lines.push(line);
  }
  return stages;
}

/** The exec-form array of an instruction (CMD ["node", "x"]), or undefined for shell form. */
export function execForm(line: string | undefined): string[] | undefined {
  const m = /^\w+\s+(\[.*\])$/.exec(line ?? "");
  return m ? (JSON.parse(m[1]!) as string[]) : undefined;
}

/** .dockerignore patterns (comments and blank lines dropped). */
export function dockerignore(): string[] {
  return read(".dockerignore")
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("#"));
}

/**
 * Whether a .dockerignore pattern excludes `path` or a parent of it (Docker semantics: patterns are anchored at
 * the context root, `*` stays within one path segment, `**` spans any number of them; `!` is not used here).
 */
export function ignored(path: string, patterns: string[]): boolean {
  const segments = path.split("/");
  return patterns.some((pattern) => {
    const body = pattern.replace(/\*\*\/|\*\*|\*|[.+?^${}()|[\]\\]/g, (t) =>
      t === "**/" ? "(?:.*/)?" : t === "**" ? ".*" : t === "*" ? "[^/]*" : `\\${t}`,
    );
    const re = new RegExp(`^${body}$`);
    return segments.some((_, i) => re.test(segments.slice(0, i + 1).join("/")));
  });
}
