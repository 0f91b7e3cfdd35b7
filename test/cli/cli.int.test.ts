/**
 * `vitd-cds evaluate` against the sandbox FHIR server on 127.0.0.1 (demo patients, fixed clock):
 * --json prints exactly the hook response; the readable output is made for a terminal (what was
 * evaluated, aligned tables, no markdown syntax, colour by indicator only when asked for); --draft
 * takes a file or inline JSON for order-select and order-sign; the token is passed as Bearer; and the
 * exit codes are 0 / 2 (bad arguments, no arguments) / 1 (FHIR server unreadable).
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
import { runCli, wantsColor } from "../../src/cli/main";

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
  return cliWith({}, ...argv);
}

async function cliWith(io: { color?: boolean; columns?: number }, ...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (t) => out.push(t), err: (t) => err.push(t), ...io }, { clock: () => NOW, env: {} });
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
  const tox = await cli(
    "evaluate",
    "--fhir",
    base,
    "--patient",
    byRow("vitamin-d-toxicity:prolonged-toxic-intake-no-calcium").id,
    "--token",
    "cli-token",
  );
  expect(tox.code).toBe(0);
  expect(tox.out).toMatch(/\n1\. \[WARNING\] vitamin-d-toxicity — [^\n]+\n {3}\S/);
  const normal = await cli("evaluate", "--fhir", base, "--patient", byRow("normal").id, "--token", "cli-token");
  expect(normal.out).toContain("No cards");
});

/* eslint-disable no-control-regex -- the tests look for ANSI escape sequences on purpose */
it("renders card markdown for a terminal: aligned tables, bullets, no markdown syntax, no colour when not a TTY", async () => {
  const { code, out } = await cli(
    "evaluate",
    "--fhir",
    base,
    "--patient",
    byRow("vitamin-d-toxicity:ca-high-with-toxic-intake-critical").id,
    "--token",
    "cli-token",
  );
  expect(code).toBe(0);
  expect(out).not.toMatch(/\|\s*\*\*|\|---|\*\*|\\\.|\x1b\[/); // no "| **", "|---", "**", "\." nor ANSI codes
  const lines = out.split("\n");
  const header = lines.findIndex((l) => /^\s+Result\s+Date\s+Reported\s+Converted\s+Role$/.test(l));
  expect(header).toBeGreaterThan(0);
  expect(lines[header + 1]).toMatch(/^\s+─+( {2}─+)+$/);
  const col = (line: string, name: string) => line.indexOf(name);
  const dateCol = col(lines[header]!, "Date");
  const rows = lines
    .slice(header + 2)
    .filter((l) => /\d{4}-\d{2}-\d{2}/.test(l))
    .slice(0, 3);
  expect(rows.length).toBeGreaterThan(1);
  for (const row of rows) expect(row.slice(dateCol, dateCol + 10)).toMatch(/^\d{4}-\d{2}-\d{2}$/); // every date starts under "Date"
  expect(out).toMatch(/\n {3}• /); // markdown list items as bullets
});

it("colours the indicator when it writes to a terminal, and falls back to one block per row when a table does not fit", async () => {
  const patient = byRow("vitamin-d-toxicity:ca-high-with-toxic-intake-critical").id;
  const tty = await cliWith({ color: true, columns: 60 }, "evaluate", "--fhir", base, "--patient", patient, "--token", "cli-token");
  expect(tty.out).toContain("\x1b[1;97;41m CRITICAL \x1b[0m");
  expect(tty.out).toMatch(/\n {3}\x1b\[2mDate\s*\x1b\[22m {2}\d{4}-\d{2}-\d{2}/); // "Date  2026-…" record layout at 60 columns
  const plain = tty.out.split("\n").map((l) => l.replace(/\x1b\[[0-9;]*m/g, ""));
  expect(plain.filter((l) => l.length > 60 && !/https?:\/\//.test(l))).toEqual([]); // only lines carrying a URL may run long
  expect(wantsColor({ isTTY: true }, {})).toBe(true);
  expect(wantsColor({ isTTY: false }, {})).toBe(false);
  expect(wantsColor({ isTTY: true }, { NO_COLOR: "1" })).toBe(false);
  expect(wantsColor({ isTTY: true }, { TERM: "dumb" })).toBe(false);
});

it("says what it evaluated, including each draft order", async () => {
  const patient = byRow("vitamin-d-toxicity:toxic-dose-ordered-no-history");
  const drafts = loadDraftOrders(patient.id, NOW)!;
  const id = (drafts.entry?.[0]?.resource as { id: string }).id;
  const { code, out } = await cli(
    "evaluate",
    "--fhir",
    base,
    "--patient",
    patient.id,
    "--hook",
    "order-sign",
    "--draft",
    JSON.stringify(drafts),
    "--token",
    "cli-token",
  );
  expect(code).toBe(0);
  expect(out).toContain(`Evaluated: order-sign for Patient/${patient.id} on ${base}`);
  expect(out).toMatch(new RegExp(`Draft orders: 1\n  - MedicationRequest/${id} `));
  expect(out).toMatch(/\n1\. \[INFO\] vitamin-d-toxicity/);
});

it("supports order-select (every draft given is selected) with --draft as inline JSON of one MedicationRequest", async () => {
  const patient = byRow("vitamin-d-toxicity:toxic-dose-ordered-no-history");
  const draft = loadDraftOrders(patient.id, NOW)!.entry![0]!.resource!;
  const { code, out, err } = await cli(
    "evaluate",
    "--fhir",
    base,
    "--patient",
    patient.id,
    "--hook",
    "order-select",
    "--draft",
    JSON.stringify(draft),
    "--token",
    "cli-token",
    "--json",
  );
  expect(err).toBe("");
  expect(code).toBe(0);
  expect(JSON.parse(out).cards.map((c: { indicator: string }) => c.indicator)).toEqual(["info"]);
});

it("refuses order-sign or order-select without --draft instead of evaluating nothing, and explains a bad --draft", async () => {
  const none = await cli("evaluate", "--fhir", base, "--patient", "vitd-demo-20", "--hook", "order-sign");
  expect(none.code).toBe(2);
  expect(none.err).toMatch(/--hook order-sign checks draft orders: give them with --draft/);
  const missing = await cli(
    "evaluate",
    "--fhir",
    base,
    "--patient",
    "vitd-demo-20",
    "--hook",
    "order-sign",
    "--draft",
    join(tmp, "nope.json"),
  );
  expect([missing.code, missing.err]).toEqual([2, expect.stringMatching(/cannot read --draft file .*no such file/)]);
  const broken = await cli("evaluate", "--fhir", base, "--patient", "vitd-demo-20", "--hook", "order-sign", "--draft", "{not json");
  expect([broken.code, broken.err]).toEqual([2, expect.stringMatching(/--draft JSON is not valid JSON/)]);
});

it("with no arguments prints the usage and exits 2; --help exits 0", async () => {
  const bare = await cli();
  expect(bare.code).toBe(2);
  expect(bare.err).toContain("usage: vitd-cds evaluate");
  const help = await cli("--help");
  expect([help.code, help.out.startsWith("usage: vitd-cds evaluate")]).toEqual([0, true]);
});

it("--hook order-sign with --draft evaluates the draft order", async () => {
  const patient = byRow("vitamin-d-toxicity:toxic-dose-ordered-no-history");
  const file = join(tmp, "draft.json");
  writeFileSync(file, JSON.stringify(loadDraftOrders(patient.id, NOW)));
  const { code, out } = await cli(
    "evaluate",
    "--fhir",
    base,
    "--patient",
    patient.id,
    "--hook",
    "order-sign",
    "--draft",
    file,
    "--token",
    "cli-token",
    "--json",
  );
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
  [["evaluate", "--fhir", "http://h/fhir", "--patient", "x", "--hook", "order-delete"]],
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
  expect((await run([])).code).toBe(2);
  const real = await run(["evaluate", "--fhir", base, "--patient", byRow("normal").id, "--token", "cli-token", "--json"]);
  expect(real.code).toBe(0);
  expect(JSON.parse(real.stdout)).toEqual({ cards: [] });
});
