/**
 * Screening benchmark: `npx tsx bench/screening.ts [--patients=100000] [--small=10000] [--workers=2] [--keep]`.
 * Generates a synthetic population (bench/screening-population.ts) as NDJSON in a temporary directory,
 * then runs the compiled CLI (`vitd-cds screen --ndjson`, plain JavaScript as in dist/) on the small and
 * the large population, and reports wall time, patients/s per core, peak RSS (VmHWM of the child) and
 * the small → large scaling. Same-run baselines: the small run (scaling: time per patient, large ÷ small)
 * and the bare engine in this process (evaluate-patient.ts on one core, no DuckDB, no workers: how much
 * of a core the pipeline leaves to the rules). Load averages are printed before and after (other work
 * on the machine shows there). Targets: 100,000 patients ≤ 5 min, peak RSS ≤ 1.5 GiB, scaling ≤ 1.15.
 */
import { spawn } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { loadClinicalConfigFile } from "../src/config/clinical-config-file";
import { SERVICE_NAME } from "../src/service-name";
import { evaluatePatient } from "../src/screen/evaluate-patient";
import { compiledPath } from "./lib/compile";
import { describeMachine } from "./lib/machine";
import { writePopulation } from "./screening-population";
import { flagArgs } from "./lib/args";

const NOW = "2031-06-01T12:00:00.000Z";
const args = flagArgs();
const large = Number(args.get("patients") ?? 100_000);
const small = Number(args.get("small") ?? 10_000);
const workers = Number(args.get("workers") ?? cpus().length);
const root = join(tmpdir(), `vitd-screen-bench-${process.pid}`);

interface RunResult {
  patients: number;
  resources: number;
  bytes: number;
  wallS: number;
  peakRssMiB: number;
  cards: number;
}

function peakRss(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

async function screenRun(n: number): Promise<RunResult> {
  const input = join(root, `pop-${n}`);
  const out = join(root, `out-${n}`);
  const gen = await writePopulation(input, n, new Date(NOW));
  console.log(
    `generated ${n.toLocaleString("en-US")} patients, ${gen.resources.toLocaleString("en-US")} resources, ${(gen.bytes / 1024 ** 3).toFixed(2)} GiB`,
  );
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, [compiledPath("src/cli/main.ts"), "screen", "--ndjson", input, "--out", out, "--now", NOW], {
    env: { ...process.env, SCREEN_WORKERS: String(workers) },
    stdio: ["ignore", "inherit", "inherit"],
  });
  let peak = 0;
  const timer = setInterval(() => (peak = Math.max(peak, peakRss(child.pid ?? 0))), 250);
  const code = await new Promise<number>((resolve) => child.on("exit", (c) => resolve(c ?? 1)));
  clearInterval(timer);
  const wallS = Number(process.hrtime.bigint() - started) / 1e9;
  if (code !== 0) throw new Error(`screen exited with ${code}`);
  const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8")) as { patients: number; cards: number };
  if (summary.patients !== n) throw new Error(`expected ${n} patients, the run evaluated ${summary.patients}`);
  if (!args.has("keep")) rmSync(input, { recursive: true, force: true });
  return { patients: n, resources: gen.resources, bytes: gen.bytes, wallS, peakRssMiB: peak, cards: summary.cards };
}

/** The bare engine on one core: patients per second (same population, in this process). */
async function bareEngine(n: number): Promise<number> {
  const dir = join(root, "bare");
  await writePopulation(dir, n, new Date(NOW), 7);
  const byPatient = new Map<string, string[]>();
  for (const type of ["Patient", "Observation", "MedicationStatement", "MedicationRequest", "Condition"]) {
    for (const line of readFileSync(join(dir, `${type}.ndjson`), "utf8").split("\n")) {
      if (!line) continue;
      const id = /"(?:id|reference)":"(?:Patient\/)?(pop-\d+)"/.exec(line)?.[1] ?? "";
      byPatient.set(id, [...(byPatient.get(id) ?? []), line]);
    }
  }
  const meds = readFileSync(join(dir, "Medication.ndjson"), "utf8").split("\n").filter(Boolean);
  const ctx = { config: loadClinicalConfigFile(undefined), now: new Date(NOW), serviceLabel: SERVICE_NAME };
  const patients = [...byPatient].map(([id, lines]) => [id, [...lines, ...meds]] as const);
  for (const [id, lines] of patients.slice(0, 200)) evaluatePatient(id, lines, ctx); // warm-up
  const t0 = process.hrtime.bigint();
  for (const [id, lines] of patients) evaluatePatient(id, lines, ctx);
  return patients.length / (Number(process.hrtime.bigint() - t0) / 1e9);
}

async function main(): Promise<void> {
  const machine = describeMachine();
  console.log(
    `${machine.cpuModel} × ${machine.cpuCount}, ${machine.memoryGiB} GiB, Node ${machine.node}; load average at start ${machine.loadAverage.join(" / ")}`,
  );
  try {
    const bare = await bareEngine(2_000);
    const a = await screenRun(small);
    const b = await screenRun(large);
    const perCore = (r: RunResult) => r.patients / r.wallS / workers;
    const scaling = b.wallS / b.patients / (a.wallS / a.patients);
    const rows = [
      ["bare engine, 1 core (baseline)", `${bare.toFixed(0)} patients/s`, "", ""],
      [
        `screen ${a.patients.toLocaleString("en-US")} patients`,
        `${a.wallS.toFixed(1)} s`,
        `${perCore(a).toFixed(0)} patients/s per core (${(perCore(a) / bare).toFixed(2)} × bare)`,
        `peak RSS ${a.peakRssMiB.toFixed(0)} MiB`,
      ],
      [
        `screen ${b.patients.toLocaleString("en-US")} patients (${(b.resources / 1e6).toFixed(2)} M resources, ${(b.bytes / 1024 ** 3).toFixed(2)} GiB)`,
        `${b.wallS.toFixed(1)} s`,
        `${perCore(b).toFixed(0)} patients/s per core (${(perCore(b) / bare).toFixed(2)} × bare)`,
        `peak RSS ${b.peakRssMiB.toFixed(0)} MiB`,
      ],
      [
        `scaling ${a.patients.toLocaleString("en-US")} → ${b.patients.toLocaleString("en-US")} (time per patient, ratio)`,
        scaling.toFixed(3),
        "target ≤ 1.15",
        scaling <= 1.15 ? "ok" : "MISSED",
      ],
      [
        "targets",
        `${b.wallS <= 300 ? "ok" : "MISSED"}: ≤ 300 s`,
        `${b.peakRssMiB <= 1536 ? "ok" : "MISSED"}: ≤ 1536 MiB`,
        `cards ${b.cards.toLocaleString("en-US")}`,
      ],
    ];
    console.log(
      `\n| measure | value | per core / ratio | memory |\n|---|---|---|---|\n${rows.map((r) => `| ${r.join(" | ")} |`).join("\n")}`,
    );
    console.log(
      `\nworkers ${workers}; load average at end ${loadavg()
        .map((l) => l.toFixed(2))
        .join(" / ")}`,
    );
    process.exitCode = b.wallS <= 300 && b.peakRssMiB <= 1536 && scaling <= 1.15 ? 0 : 1;
  } finally {
    if (!args.has("keep")) rmSync(root, { recursive: true, force: true });
  }
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 2;
});
