/**
 * `vitd-cds screen-merge --out <dir> <shard dirs…>`: the outputs of the shards of one run (same export,
 * same `now`, shards 1…n of n, each finished) combined into the outputs an unsharded run would have
 * written: cards re-sorted, counts added up, input problems (which every shard sees) listed once.
 */
import { createReadStream, existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { createInterface } from "node:readline";
import { join, resolve } from "node:path";
import type { MergeArgs } from "./args";
import { Assembler, type Summary } from "./assemble";
import { InputError } from "./input-files";
import { RANK } from "./evaluate-patient";
import { UsageError } from "./run";
import type { UnusableLine } from "./stage";
import type { Reason } from "./stage-sql";

function readSummary(dir: string): Summary {
  const path = join(dir, "summary.json");
  if (!existsSync(path)) throw new InputError(`${dir} holds no finished screening run (no summary.json)`);
  return JSON.parse(readFileSync(path, "utf8")) as Summary;
}

function parseCsvLine(line: string): string[] {
  const cells: string[] = [];
  let i = 0;
  while (i <= line.length) {
    if (line[i] === '"') {
      let value = "";
      i += 1;
      while (i < line.length) {
        if (line[i] === '"' && line[i + 1] === '"') {
          value += '"';
          i += 2;
        } else if (line[i] === '"') {
          i += 1;
          break;
        } else value += line[i++];
      }
      cells.push(value);
      i += 1;
    } else {
      const end = line.indexOf(",", i);
      cells.push(line.slice(i, end < 0 ? line.length : end));
      i = end < 0 ? line.length + 1 : end + 1;
    }
  }
  return cells;
}

async function* lines(path: string): AsyncGenerator<string> {
  const rl = createInterface({ input: createReadStream(path, "utf8"), crlfDelay: Infinity });
  for await (const line of rl) if (line) yield line;
}

export async function mergeShards(args: MergeArgs, log: (text: string) => void): Promise<Summary> {
  const dirs = args.inputs.map((d) => resolve(d));
  const summaries = dirs.map(readSummary);
  const first = summaries[0]!;
  const shardSpecs = summaries.map((s, i) => {
    const m = /^(\d+)\/(\d+)$/.exec(s.shard ?? "");
    if (!m) throw new UsageError(`${args.inputs[i]} is not the output of a --shard run`);
    return { index: Number(m[1]), count: Number(m[2]) };
  });
  const count = shardSpecs[0]!.count;
  summaries.forEach((s, i) => {
    if (s.now !== first.now) throw new UsageError(`${args.inputs[i]} was evaluated as of ${s.now}, ${args.inputs[0]} as of ${first.now}`);
    if (s.input !== first.input) throw new UsageError(`${args.inputs[i]} read other input files than ${args.inputs[0]}`);
    if (shardSpecs[i]!.count !== count) throw new UsageError(`${args.inputs[i]} is shard ${s.shard}, not one of ${count}`);
  });
  const seen = new Set(shardSpecs.map((s) => s.index));
  if (seen.size !== shardSpecs.length) throw new UsageError("a shard is given twice");
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !seen.has(i));
  if (missing.length > 0) throw new UsageError(`shard(s) ${missing.map((i) => `${i}/${count}`).join(", ")} missing`);

  const outDir = resolve(args.out);
  mkdirSync(outDir, { recursive: true });
  const assembler = await Assembler.create(join(outDir, ".merge.tmp"));
  for (const dir of dirs) {
    for await (const line of lines(join(dir, "cards.ndjson"))) {
      const rec = JSON.parse(line) as {
        patient: string;
        card: { indicator: keyof typeof RANK; summary: string; source: { topic?: { code?: string } } };
      };
      assembler.add({
        rank: RANK[rec.card.indicator],
        patient: rec.patient,
        pattern: rec.card.source.topic?.code ?? "",
        indicator: rec.card.indicator,
        summary: rec.card.summary,
        json: JSON.stringify(rec.card),
      });
    }
  }
  // Every shard read every line: the problems are the same lines, listed once.
  const problems = new Map<string, UnusableLine>();
  for (const dir of dirs) {
    let header = true;
    for await (const line of lines(join(dir, "input-problems.csv"))) {
      if (header) {
        header = false;
        continue;
      }
      const [file = "", lineNo = "0", reason = ""] = parseCsvLine(line);
      problems.set(`${file}\n${lineNo}\n${reason}`, { file, line: Number(lineNo), reason: reason as Reason });
    }
  }
  const unusable = [...problems.values()].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line));
  const summary = await assembler.write(
    outDir,
    {
      now: first.now,
      source: first.source,
      input: first.input,
      inputFiles: first.inputFiles,
      patients: summaries.reduce((s, x) => s + x.patients, 0),
      patientsWithCards: summaries.reduce((s, x) => s + x.patientsWithCards, 0),
      otherTypes: first.otherTypes,
      notUsedResources: summaries.reduce((s, x) => s + x.notUsedResources, 0),
      mergedFrom: summaries.map((s) => s.shard ?? ""),
    },
    unusable,
  );
  rmSync(join(outDir, ".merge.tmp"), { recursive: true, force: true });
  log(
    `screen-merge: ${count} shard(s), ${summary.patients.toLocaleString("en-US")} patients, ${summary.cards.toLocaleString("en-US")} cards → ${outDir}`,
  );
  return summary;
}
