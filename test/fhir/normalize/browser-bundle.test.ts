/** The normalizer must run in the SMART app: bundle it for the browser and run it with no Node globals. */
import { buildSync } from "esbuild";
import { join } from "node:path";
import { runInNewContext } from "node:vm";
import { clinicalResources, medicationStatement, observation } from "../../fixtures/fhir/builders";

test("src/fhir/normalize bundles for the browser and runs without require/process/fs", () => {
  const out = buildSync({
    entryPoints: [join(__dirname, "../../../src/fhir/normalize/index.ts")],
    bundle: true,
    platform: "browser",
    format: "iife",
    globalName: "vitdNormalize",
    write: false,
    logLevel: "silent",
  });
  expect(out.errors).toEqual([]);
  const code = out.outputFiles[0]!.text;
  const sandbox: { vitdNormalize?: { normalizeFacts: (r: unknown) => { labs: { value: number }[]; vitaminD: { dailyIU: number }[] } } } =
    {};
  runInNewContext(code, sandbox);
  const facts = sandbox.vitdNormalize!.normalizeFacts(
    clinicalResources({
      observations: [observation({ loinc: "68438-1", value: 75, unit: "nmol/L" })],
      medicationStatements: [medicationStatement({ name: "Vitamin D3", text: "2000 units daily" })],
    }),
  );
  expect(facts.labs[0]?.value).toBeCloseTo(75 / 2.496, 2);
  expect(facts.vitaminD[0]?.dailyIU).toBe(2000);
});
