/**
 * In-process cost of each stage of one hook call (request check, reading resources, normalize,
 * rules, render, the whole pipeline with and without the feedback stages) for the realistic patient
 * of the hook-overhead benchmark, in µs of CPU per call — a change to one stage measured in seconds
 * rather than a load run. Runs the compiled code in a child (bench/servers/stage-timer.ts).
 * `npx tsx bench/stages.ts [--min-ms=1500] [--only=<label part>] [--cpu-prof=<dir>]`
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generatePatient, realisticSpec } from "./fixtures/patient-generator";
import { compiledPath } from "./lib/compile";
import { projectRoot } from "./lib/paths";
import { prefetchBody } from "./lib/service";
import { flagArgs } from "./lib/args";

const args = flagArgs();
const now = new Date();
const data = generatePatient({ ...realisticSpec, now });
const dir = mkdtempSync(join(tmpdir(), "vitd-stages-"));
try {
  const bodyFile = join(dir, "body.json");
  writeFileSync(bodyFile, prefetchBody(data));
  const only = args.get("only");
  const cpuProf = args.get("cpu-prof");
  const input = {
    bodyFile,
    now: now.toISOString(),
    patientId: data.patient.id ?? "",
    minMs: Number(args.get("min-ms") ?? 1500),
    ...(only ? { only } : {}),
  };
  const flags = cpuProf ? ["--cpu-prof", `--cpu-prof-dir=${cpuProf}`] : [];
  const r = spawnSync(process.execPath, [...flags, compiledPath("bench/servers/stage-timer.ts"), JSON.stringify(input)], {
    cwd: projectRoot,
    stdio: "inherit",
  });
  process.exitCode = r.status ?? 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
