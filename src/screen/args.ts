/**
 * Arguments of `vitd-cds screen` and `vitd-cds screen-merge` (src/screen/README.md), parsed without side effects.
 *   vitd-cds screen (--ndjson <dir> | --bulk <FHIR base> [--group <id>] [--since <instant>] [--token <bearer>] [--export-only])
 *                   --out <dir> [--shard i/n] [--now <instant>]
 *   vitd-cds screen-merge --out <dir> <shard output dir>...
 */
import { readFlags } from "../flags";

export interface ShardSpec {
  /** 1-based, as written on the command line. */
  index: number;
  count: number;
}

export type ScreenSource = { kind: "ndjson"; dir: string } | { kind: "bulk"; base: string; group?: string; since?: string; token?: string };

export interface ScreenArgs {
  command: "screen";
  source: ScreenSource;
  out: string;
  shard?: ShardSpec;
  /** ISO instant; absent = the run's start (kept in the checkpoint, so a resumed run uses the same). */
  now?: string;
  /** --bulk only: download the export into <out>/export and stop (the shards of a Kubernetes Job read it from there). */
  exportOnly: boolean;
}

export interface MergeArgs {
  command: "screen-merge";
  out: string;
  inputs: string[];
}

export type ParsedScreenArgs = ScreenArgs | MergeArgs | { command: "help"; topic: "screen" | "screen-merge" } | { error: string };

export const SCREEN_USAGE = `usage: vitd-cds screen (--ndjson <dir> | --bulk <FHIR base URL> [--group <id>] [--since <instant>] [--token <bearer>])
                       --out <dir> [--shard i/n] [--now <instant>] [--export-only]
       vitd-cds screen-merge --out <dir> <shard output dir>...

Population screening: the patient-view rules for every patient of a Bulk FHIR export (NDJSON, .ndjson or
.ndjson.gz; Patient, Observation, MedicationStatement, MedicationRequest, Medication, Condition). Writes
<out>/worklist.csv, <out>/cards.ndjson, <out>/report.html and <out>/summary.json. A killed run started
again with the same --out continues where it stopped. --shard i/n evaluates only the patients whose id
hashes to shard i of n; screen-merge combines the shards' outputs.
Exit codes: 0 done, 2 bad arguments, 1 the input could not be read.`;

/** FHIR instant (seconds required, time zone required). */
const INSTANT =
  /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d{1,9})?(Z|[+-]((0\d|1[0-3]):[0-5]\d|14:00))$/;
const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;

const VALUE_FLAGS = new Set(["--ndjson", "--bulk", "--group", "--since", "--out", "--shard", "--now", "--token"]);

function isInstant(value: string): boolean {
  return INSTANT.test(value) && !Number.isNaN(Date.parse(value));
}

export function parseShard(value: string): ShardSpec | { error: string } {
  const m = /^(\d{1,6})\/(\d{1,6})$/.exec(value);
  if (!m) return { error: `--shard must look like 2/8 (shard i of n), got "${value}"` };
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || index < 1 || index > count) return { error: `--shard ${value}: i must be between 1 and n` };
  return { index, count };
}

function parseMerge(rest: readonly string[]): ParsedScreenArgs {
  let out: string | undefined;
  const inputs: string[] = [];
  for (let i = 0; i < rest.length; i += 1) {
    const arg = rest[i] ?? "";
    if (arg === "--help" || arg === "-h") return { command: "help", topic: "screen-merge" };
    if (arg === "--out") {
      const value = rest[i + 1];
      if (value === undefined || value.startsWith("--")) return { error: "--out needs a value" };
      if (out !== undefined) return { error: "--out given twice" };
      out = value;
      i += 1;
      continue;
    }
    if (arg.startsWith("--")) return { error: `unknown option "${arg}"` };
    inputs.push(arg);
  }
  if (!out) return { error: "--out <dir> is required" };
  if (inputs.length === 0) return { error: "screen-merge needs the output directories of the shards to merge" };
  return { command: "screen-merge", out, inputs };
}

/** argv without the program name: ["screen", ...] or ["screen-merge", ...]. */
export function parseScreenArgs(argv: readonly string[]): ParsedScreenArgs {
  const [command, ...rest] = argv;
  if (command === "screen-merge") return parseMerge(rest);
  if (command !== "screen") return { error: `unknown command "${command ?? ""}"` };
  const flags = readFlags(rest, VALUE_FLAGS, new Set(["--export-only"]));
  if ("error" in flags) return flags;
  if (flags.help) return { command: "help", topic: "screen" };
  const { values } = flags;
  const exportOnly = flags.switches.has("--export-only");
  const ndjson = values.get("--ndjson");
  const bulk = values.get("--bulk");
  if ((ndjson === undefined) === (bulk === undefined))
    return { error: "exactly one of --ndjson <dir> or --bulk <FHIR base URL> is required" };
  const out = values.get("--out");
  if (!out) return { error: "--out <dir> is required" };
  for (const flag of ["--group", "--since", "--token"]) {
    if (values.has(flag) && bulk === undefined) return { error: `${flag} only applies to --bulk` };
  }
  if (exportOnly && bulk === undefined) return { error: "--export-only only applies to --bulk" };

  let source: ScreenSource;
  if (bulk !== undefined) {
    let url: URL;
    try {
      url = new URL(bulk);
    } catch {
      return { error: `--bulk must be an http(s) URL, got "${bulk}"` };
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") return { error: `--bulk must be an http(s) URL, got "${bulk}"` };
    if (url.username || url.password) return { error: "--bulk must not carry user:password@ (use --token)" };
    if (url.search || url.hash) return { error: "--bulk is the FHIR base URL, without ?query or #fragment" };
    const base = url.href.replace(/\/+$/, "");
    source = { kind: "bulk", base };
    const group = values.get("--group");
    if (group !== undefined) {
      if (!FHIR_ID.test(group)) return { error: `--group must be a FHIR id ([A-Za-z0-9-.], at most 64 characters), got "${group}"` };
      source.group = group;
    }
    const since = values.get("--since");
    if (since !== undefined) {
      if (!isInstant(since)) return { error: `--since must be a FHIR instant such as 2025-01-31T00:00:00Z, got "${since}"` };
      source.since = since;
    }
    const token = values.get("--token");
    if (token !== undefined) {
      if (!/^[\x21-\x7e]+$/.test(token)) return { error: "--token must be a bearer token (printable characters, no spaces)" };
      source.token = token;
    }
  } else {
    source = { kind: "ndjson", dir: ndjson ?? "" };
  }
  const parsed: ScreenArgs = { command: "screen", source, out, exportOnly };
  const shard = values.get("--shard");
  if (shard !== undefined) {
    const s = parseShard(shard);
    if ("error" in s) return s;
    parsed.shard = s;
  }
  const now = values.get("--now");
  if (now !== undefined) {
    if (!isInstant(now)) return { error: `--now must be a FHIR instant such as 2025-01-31T12:00:00Z, got "${now}"` };
    parsed.now = new Date(now).toISOString();
  }
  return parsed;
}
