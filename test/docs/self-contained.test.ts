/**
 * The repository stands alone: no file cites a document that is not in it (the handout specifications, tracker
 * numbers), and every relative link in a Markdown file resolves.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";

const root = join(__dirname, "..", "..");
const tracked = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard"], { cwd: root, encoding: "utf8" })
  .split("\n")
  .filter(
    (f) => f !== "" && existsSync(join(root, f)) && /\.(ts|mjs|js|json|md|yaml|yml|html|css)$/.test(f) && !f.endsWith("package-lock.json"),
  );

/** References to documents that live outside the repository. */
const OUTSIDE = [
  /clinical-spec(\.md)?\b/,
  /cds-hooks-notes/,
  /stack-notes/,
  /\.\.\/shared\//,
  /\/work\/shared/,
  /docs\/hooks\//,
  /\b[Ii]ssue \d+\b/,
];
const SELF = "test/docs/self-contained.test.ts";

describe("the repository is self-contained", () => {
  it("finds the files to check", () => {
    expect(tracked.length).toBeGreaterThan(100);
  });

  it("cites no document outside the repository and no tracker number", () => {
    const hits: string[] = [];
    for (const file of tracked) {
      if (file === SELF) continue;
      readFileSync(join(root, file), "utf8")
        .split("\n")
        .forEach((line, i) => {
          for (const re of OUTSIDE) if (re.test(line)) hits.push(`${file}:${i + 1}: ${line.trim().slice(0, 120)}`);
        });
    }
    expect(hits).toEqual([]);
  });

  it("resolves every relative Markdown link", () => {
    const broken: string[] = [];
    for (const file of tracked.filter((f) => f.endsWith(".md"))) {
      const text = readFileSync(join(root, file), "utf8");
      for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        const target = (m[1] ?? "").split("#")[0] ?? "";
        if (target === "" || /^[a-z][a-z0-9+.-]*:/i.test(target)) continue;
        if (!existsSync(join(root, dirname(file), decodeURI(target)))) broken.push(`${file} → ${m[1] ?? ""}`);
      }
    }
    expect(broken).toEqual([]);
  });
});
