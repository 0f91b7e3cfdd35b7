/**
 * `vitd-cds evaluate` against the sandbox FHIR server on 127.0.0.1 (demo patients, fixed clock):
 * --json prints exactly the hook response, the readable output names indicator and topic, the token
 * is passed as Bearer, and the exit codes are 0 / 2 (bad arguments) / 1 (FHIR server unreadable).
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import express from "express";
import { createFhirServer } from "../../sandbox/fhir-server";
import { loadAllPatientBundles, loadDraftOrders, readDemoPatients } from "../../sandbox/load-patients";
import { runCli } from "../../src/cli/main";

const NOW = new Date("2026-06-01T12:00:00Z");
const demo = readDemoPatients();
const byRow = (row: string) => demo.find((p) => p.covers.includes(row))!;
let server: Server;
let base: string;
let tmp: string;

beforeAll(async () => {
  const fhir = createFhirServer({ requiredBearerToken: "cli-token" });
  for (const b of loadAllPatientBundles(NOW)) await fhir.loadBundle(b);
  server = express().use("/fhir", fhir.router).listen(0, "127.0.0.1");
  await new Promise((ok) => server.once("listening", ok));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/fhir`;
  tmp = mkdtempSync(join(tmpdir(), "vitd-cli-"));
});
afterAll(async () => {
  rmSync(tmp, { recursive: true, force: true });
  await new Promise<void>((ok) => server.close(() => ok()));
});

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (t) => out.push(t), err: (t) => err.push(t) }, { clock: () => NOW, env: {} });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

it("--json prints exactly {cards: [...]} with the patient's expected card", async () => {
  const patient = byRow("repletion-cramp:mg-below-1.2");
  const { code, out, err } = await cli("evaluate", "--fhir", base, "--patient", patient.id, "--token", "cli-token", "--json");
  expect(err).toBe("");
  expect(code).toBe(0);
  const response = JSON.parse(out) as { cards: { indicator: string; source: { topic: { code: string } } }[] };
  expect(Object.keys(response)).toEqual(["cards"]);
  expect(response.cards.map((c) => [c.source.topic.code, c.indicator])).toEqual([["repletion-cramp", "critical"]]);
});

it("prints cards readably by default, and says so when there are none", async () => {
  const tox = await cli("evaluate", "--fhir", base, "--patient", byRow("vitamin-d-toxicity:prolonged-toxic-intake-no-calcium").id, "--token", "cli-token");
  expect(tox.code).toBe(0);
  expect(tox.out).toMatch(/1\. \[WARNING\] vitamin-d-toxicity\n {3}\S/);
  const normal = await cli("evaluate", "--fhir", base, "--patient", byRow("normal").id, "--token", "cli-token");
  expect(normal.out).toContain("No cards");
});

it("--hook order-sign with --draft evaluates the draft order", async () => {
  const patient = byRow("vitamin-d-toxicity:toxic-dose-ordered-no-history");
  const file = join(tmp, "draft.json");
  writeFileSync(file, JSON.stringify(loadDraftOrders(patient.id, NOW)));
  const { code, out } = await cli("evaluate", "--fhir", base, "--patient", patient.id, "--hook", "order-sign", "--draft", file, "--token", "cli-token", "--json");
  expect(code).toBe(0);
  expect(JSON.parse(out).cards.map((c: { indicator: string }) => c.indicator)).toEqual(["info"]);
});

it("exits 1 with a message when the FHIR server refuses the token or is down", async () => {
  const noToken = await cli("evaluate", "--fhir", base, "--patient", "vitd-demo-01");
  expect(noToken.code).toBe(1);
  expect(noToken.err).toMatch(/cannot read the FHIR server/);
  const down = await cli("evaluate", "--fhir", "http://127.0.0.1:9/fhir", "--patient", "vitd-demo-01");
  expect(down.code).toBe(1);
});

it.each([
  [["evaluate", "--patient", "x"]],
  [["evaluate", "--fhir", "not-a-url", "--patient", "x"]],
  [["evaluate", "--fhir", "http://h/fhir"]],
  [["evaluate", "--fhir", "http://h/fhir", "--patient", "a b"]],
  [["evaluate", "--fhir", "http://h/fhir", "--patient", "x", "--hook", "order-select"]],
  [["evaluate", "--fhir", "http://h/fhir", "--patient", "x", "--draft", "d.json"]],
  [["evaluate", "--fhir", "http://h/fhir", "--patient", "x", "--bogus"]],
  [["frobnicate"]],
])("exits 2 on bad arguments %j", async (argv) => {
  const { code, err } = await cli(...argv);
  expect(code).toBe(2);
  expect(err).toContain("usage: vitd-cds evaluate");
});

it("as a real process: exit code and stdout", async () => {
  const tsx = resolve(__dirname, "..", "..", "node_modules", ".bin", "tsx");
  const main = resolve(__dirname, "..", "..", "src", "cli", "main.ts");
  const run = (args: string[]) =>
    new Promise<{ code: number; stdout: string }>((ok) => {
      execFile(tsx, [main, ...args], (error, stdout) => ok({ code: error ? Number(error.code) : 0, stdout }));
    });
  expect((await run(["evaluate", "--fhir", base])).code).toBe(2);
  const real = await run(["evaluate", "--fhir", base, "--patient", byRow("normal").id, "--token", "cli-token", "--json"]);
  expect(real.code).toBe(0);
  expect(JSON.parse(real.stdout)).toEqual({ cards: [] });
});
