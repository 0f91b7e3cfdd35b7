/**
 * The engine (normalize + rules + render) of the working tree against the engine of a git ref, in ONE process: each
 * tree is bundled on its own (esbuild), both bundles are loaded side by side and run in alternating rounds, so the
 * host's speed, which drifts by up to 2× on this shared machine, is the same for both. Separate processes differed by
 * up to ±15 % with identical code; here four runs of identical code gave 0.999–1.009. Prints the median CPU µs per
 * patient of each, the median of the round-by-round ratios and whether the cards are the same. The patients have the
 * hook-overhead benchmark's shape (60 observations, 10 medication statements, 3 conditions), one seed each, so their
 * dates and values differ as between real patients (a memo keyed by such strings is not flattered by one patient
 * repeated).
 * `npx tsx bench/engine-ab.ts [--base=HEAD] [--rounds=400] [--patients=100]`
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { buildSync } from "esbuild";
import { generatePatient, realisticSpec } from "./fixtures/patient-generator";
import { flagArgs } from "./lib/args";
import { extractServiceTree } from "./lib/git-tree";
import { cpuMicros } from "./lib/machine";
import { projectRoot } from "./lib/paths";
import { prefetchBody } from "./lib/service";
import { median, percentile } from "./lib/stats";

interface Runner {
  /** One engine run for each patient; returns the number of patients. */
  run(): number;
  /** Every patient's cards, as JSON. */
  cards(): string;
}
type Entry = { createRunner(texts: string[], nowIso: string): Promise<Runner> };

const NOW = "2026-06-01T00:00:00.000Z";

/** The same entry for both trees: the tree's own request check, reading, configuration and engine. */
const entrySource = (root: string) => `
import { mergeClinicalConfig } from ${JSON.stringify(join(root, "src/config/clinical-config"))};
import { parseHookRequest } from ${JSON.stringify(join(root, "src/cds/request-schema"))};
import { gatherClinicalResources } from ${JSON.stringify(join(root, "src/fhir/clinical-data"))};
import { prefetchQueries } from ${JSON.stringify(join(root, "src/fhir/queries"))};
import { runEngine } from ${JSON.stringify(join(root, "src/engine"))};
import { nodeHttpGet } from ${JSON.stringify(join(root, "src/net/http-get"))};
import { Limiter } from ${JSON.stringify(join(root, "src/net/limiter"))};
export async function createRunner(texts: string[], nowIso: string) {
  const now = new Date(nowIso);
  const config = mergeClinicalConfig({});
  const dataAccess = { httpGet: nodeHttpGet(), timeoutMs: 1000, maxPages: 5, maxResponseBytes: 1e7, limiter: new Limiter(8), isFhirServerAllowed: () => false, now };
  const pool = await Promise.all(texts.map(async (text) => {
    const request = parseHookRequest("patient-view", JSON.parse(text));
    const render = { hook: "patient-view" as const, patientId: request.patientId, serviceLabel: "vitd-cds", draftOrders: [] };
    return { resources: await gatherClinicalResources(request, prefetchQueries, dataAccess), render };
  }));
  const engine = (p: (typeof pool)[number]) => runEngine(p.resources, { config, now, render: p.render });
  return {
    run: () => { for (const p of pool) engine(p); return pool.length; },
    cards: () => JSON.stringify(pool.map((p) => engine(p).cards)),
  };
}
`;

function bundle(dir: string, name: string, root: string): string {
  const entry = join(dir, `${name}-entry.ts`);
  writeFileSync(entry, entrySource(root));
  const outfile = join(dir, `${name}.js`);
  buildSync({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    nodePaths: [join(projectRoot, "node_modules")],
    logLevel: "error",
  });
  return outfile;
}

export interface EngineComparison {
  baseRef: string;
  patients: number;
  rounds: number;
  /** Median CPU µs per patient. */
  baseMicros: number;
  workMicros: number;
  /** Median of the round-by-round ratios working ÷ base, and their middle half. */
  ratio: number;
  ratioP25: number;
  ratioP75: number;
  cardsIdentical: boolean;
}

export async function compareEngines(o: { baseRef: string; rounds: number; patients: number }): Promise<EngineComparison> {
  const { baseRef, rounds, patients } = o;
  const dir = mkdtempSync(join(tmpdir(), "vitd-engine-ab-"));
  try {
    const baseTree = extractServiceTree(baseRef, join(dir, "base"));
    const req = createRequire(__filename);
    const [baseEntry, workEntry] = [bundle(dir, "base", baseTree), bundle(dir, "work", projectRoot)].map((f) => req(f) as Entry);
    const texts = Array.from({ length: patients }, (_, i) =>
      prefetchBody(generatePatient({ ...realisticSpec, seed: i + 1, now: new Date(NOW) })).toString(),
    );
    const base = await baseEntry!.createRunner(texts, NOW);
    const work = await workEntry!.createRunner(texts, NOW);
    const perRun = (r: Runner) => {
      const c = cpuMicros();
      const n = r.run();
      return (cpuMicros() - c) / n;
    };
    for (let i = 0; i < 20; i++) [base, work].forEach(perRun);
    const b: number[] = [];
    const w: number[] = [];
    for (let i = 0; i < rounds; i++) {
      // Alternate which runs first, so neither always follows the other's garbage.
      if (i % 2 === 0) {
        b.push(perRun(base));
        w.push(perRun(work));
      } else {
        w.push(perRun(work));
        b.push(perRun(base));
      }
    }
    const ratios = w.map((x, i) => x / b[i]!);
    return {
      baseRef,
      patients,
      rounds,
      baseMicros: median(b),
      workMicros: median(w),
      ratio: median(ratios),
      ratioP25: percentile(ratios, 25),
      ratioP75: percentile(ratios, 75),
      cardsIdentical: base.cards() === work.cards(),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const args = flagArgs();
  const r = await compareEngines({
    baseRef: args.get("base") ?? "HEAD",
    rounds: Number(args.get("rounds") ?? 400),
    patients: Number(args.get("patients") ?? 100),
  });
  const micros = (x: number) => x.toFixed(1).padStart(8);
  console.log(
    `engine, ${r.patients} patients of the hook-overhead shape, ${r.rounds} alternating rounds, load ${loadavg()[0]!.toFixed(2)}`,
  );
  console.log(`  base ${r.baseRef.padEnd(12)} ${micros(r.baseMicros)} µs per patient`);
  console.log(
    `  working tree ${micros(r.workMicros)} µs per patient   working ÷ base ${r.ratio.toFixed(3)} (round by round; middle half ${r.ratioP25.toFixed(3)}–${r.ratioP75.toFixed(3)})`,
  );
  console.log(`  cards ${r.cardsIdentical ? "identical" : "DIFFER (expected only when the change alters card text)"}`);
}

if (require.main === module) void main();
