import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { defaultClinicalConfig } from "../../src/config/clinical-config";
import { loadClinicalConfigFile } from "../../src/config/clinical-config-file";
import { ConfigError } from "../../src/config/env-config";

describe("CDS_THRESHOLDS file", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "vitd-thresholds-"));

  it("without a file, the documented defaults apply", () => {
    expect(loadClinicalConfigFile(undefined)).toEqual(defaultClinicalConfig);
  });

  it("a site that flags 25(OH)D above 80 ng/mL overrides just that threshold", () => {
    const file = path.join(dir, "site.json");
    writeFileSync(file, JSON.stringify({ vitaminD: { highAboveNgMl: 80 } }));
    const config = loadClinicalConfigFile(file);
    expect(config.vitaminD.highAboveNgMl).toBe(80);
    expect(config.vitaminD.toxicAboveNgMl).toBe(defaultClinicalConfig.vitaminD.toxicAboveNgMl);
  });

  it.each([
    ["a missing file", path.join(dir, "missing.json")],
    [
      "invalid JSON",
      (() => {
        const f = path.join(dir, "broken.json");
        writeFileSync(f, "{");
        return f;
      })(),
    ],
    [
      "a misspelled key",
      (() => {
        const f = path.join(dir, "typo.json");
        writeFileSync(f, JSON.stringify({ magnesium: { lowBelowMgdl: 1.6 } }));
        return f;
      })(),
    ],
  ])("%s stops start-up with a CDS_THRESHOLDS message", (_situation, file) => {
    expect(() => loadClinicalConfigFile(file)).toThrow(ConfigError);
    expect(() => loadClinicalConfigFile(file)).toThrow(/CDS_THRESHOLDS: /);
  });
});
