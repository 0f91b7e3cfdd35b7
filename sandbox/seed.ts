/**
 * `npm run seed -- --fhir <base> [--now <ISO date-time>] [--token <bearer>] [--attempts N] [--retry-delay-ms N]`
 * Loads every demo patient (sandbox/patients/, dates materialized for `now`) into a FHIR R4 server
 * by POSTing each transaction Bundle to the base. Waits for the server to answer `/metadata` first
 * (HAPI takes a minute to start), retrying refused connections and 5xx answers.
 * Exit codes: 0 loaded, 2 bad arguments, 1 the server could not be loaded.
 */
import type { Bundle } from "fhir/r4";
import { listPatientIds, loadPatientBundle, SANDBOX_DIR } from "./load-patients";

export interface SeedOptions {
  fhirBase: string;
  now?: Date;
  token?: string;
  /** Tries per request (default 60). */
  attempts?: number;
  /** Pause between tries (default 2000 ms). */
  retryDelayMs?: number;
  fetchImpl?: typeof fetch;
  log?: (message: string) => void;
  dir?: string;
}

export class SeedError extends Error {}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** fetch with retries on network errors and 5xx; other answers are returned to the caller. */
async function fetchRetrying(url: string, init: RequestInit, options: SeedOptions): Promise<Response> {
  const attempts = options.attempts ?? 60;
  const doFetch = options.fetchImpl ?? fetch;
  let last = "";
  for (let attempt = 1; attempt <= attempts; attempt += 1) {
    try {
      const res = await doFetch(url, init);
      if (res.status < 500) return res;
      last = `HTTP ${res.status}`;
    } catch (err) {
      last = err instanceof Error ? err.message : String(err);
    }
    if (attempt < attempts) {
      options.log?.(`  ${url} not ready (${last}), retry ${attempt}/${attempts - 1}`);
      await sleep(options.retryDelayMs ?? 2000);
    }
  }
  throw new SeedError(`${url}: giving up after ${attempts} tries (${last})`);
}

function failedEntries(response: Bundle): string[] {
  return (response.entry ?? []).map((e) => e.response?.status ?? "").filter((status) => !/^2\d\d/.test(status));
}

export async function seed(options: SeedOptions): Promise<{ loaded: string[] }> {
  const base = options.fhirBase.replace(/\/+$/, "");
  const now = options.now ?? new Date();
  const headers: Record<string, string> = { accept: "application/fhir+json", "content-type": "application/fhir+json" };
  if (options.token) headers["authorization"] = `Bearer ${options.token}`;

  const metadata = await fetchRetrying(`${base}/metadata`, { headers }, options);
  if (!metadata.ok) throw new SeedError(`${base}/metadata answered HTTP ${metadata.status}: is this a FHIR server base?`);

  const loaded: string[] = [];
  for (const id of listPatientIds(options.dir ?? SANDBOX_DIR)) {
    const bundle = loadPatientBundle(id, now, options.dir ?? SANDBOX_DIR);
    const res = await fetchRetrying(base, { method: "POST", headers, body: JSON.stringify(bundle) }, options);
    const text = await res.text();
    if (!res.ok) throw new SeedError(`${id}: HTTP ${res.status} ${text.slice(0, 500)}`);
    const failed = failedEntries(JSON.parse(text) as Bundle);
    if (failed.length > 0) throw new SeedError(`${id}: ${failed.length} entries failed (${failed.join(", ")})`);
    options.log?.(`loaded ${id} (${bundle.entry?.length ?? 0} resources)`);
    loaded.push(id);
  }
  return { loaded };
}

/** Parses `--fhir URL [--now ISO] [--token T] [--attempts N] [--retry-delay-ms N]`. */
export function parseSeedArgs(argv: string[]): SeedOptions | { error: string } {
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i += 2) {
    const flag = argv[i] ?? "";
    const value = argv[i + 1];
    if (!["--fhir", "--now", "--token", "--attempts", "--retry-delay-ms"].includes(flag)) return { error: `unknown argument "${flag}"` };
    if (value === undefined || value.startsWith("--")) return { error: `${flag} needs a value` };
    values.set(flag, value);
  }
  const fhirBase = values.get("--fhir");
  if (!fhirBase || !/^https?:\/\/[^/]/.test(fhirBase)) return { error: "--fhir <http(s) base URL> is required" };
  const options: SeedOptions = { fhirBase, log: (m) => console.log(m) };
  const now = values.get("--now");
  if (now !== undefined) {
    if (Number.isNaN(Date.parse(now))) return { error: `--now "${now}" is not a date-time` };
    options.now = new Date(now);
  }
  const token = values.get("--token");
  if (token !== undefined) options.token = token;
  for (const [flag, key] of [
    ["--attempts", "attempts"],
    ["--retry-delay-ms", "retryDelayMs"],
  ] as const) {
    const raw = values.get(flag);
    if (raw === undefined) continue;
    if (!/^\d+$/.test(raw)) return { error: `${flag} must be a whole number` };
    options[key] = Number(raw);
  }
  return options;
}

async function main(): Promise<number> {
  const parsed = parseSeedArgs(process.argv.slice(2));
  if ("error" in parsed) {
    console.error(`seed: ${parsed.error}\nusage: npm run seed -- --fhir <FHIR base URL> [--now <ISO>] [--token <bearer>]`);
    return 2;
  }
  try {
    const { loaded } = await seed(parsed);
    console.log(`seed: ${loaded.length} demo patients loaded into ${parsed.fhirBase}`);
    return 0;
  } catch (err) {
    console.error(`seed: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
}

if (require.main === module) {
  void main().then((code) => process.exit(code));
}
