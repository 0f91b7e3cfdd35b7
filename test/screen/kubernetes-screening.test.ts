/**
 * deploy/kubernetes/screening/: valid against the Kubernetes schemas (kubernetes-models, offline) with no
 * unknown field (type-checked against the package's interfaces, as test/deploy does), and wired the way
 * docs/screening.md says: an export Job, an Indexed Job of n shards over the one export on a shared
 * ReadWriteMany volume, a merge Job waiting for all n, the token from a Secret, hardened pods.
 */
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { parse, parseAllDocuments } from "yaml";
import { KINDS, kindKey as key, root, unknownFieldErrors, type Manifest } from "../deploy/k8s-schema";

const dir = join(root, "deploy", "kubernetes", "screening");
const kustomization = parse(readFileSync(join(dir, "kustomization.yaml"), "utf8")) as { resources: string[]; namespace: string };
const docs = kustomization.resources.flatMap((file) =>
  parseAllDocuments(readFileSync(join(dir, file), "utf8")).map((d) => ({ file, doc: d.toJS() as Manifest })),
);
const byName = (kind: string, name: string): Manifest => {
  const found = docs.filter((d) => d.doc["kind"] === kind && d.doc["metadata"]?.name === name);
  if (found.length !== 1) throw new Error(`expected one ${kind}/${name}, found ${found.length}`);
  return found[0]!.doc;
};

describe("deploy/kubernetes/screening", () => {
  it("lists every manifest of the folder, and is not part of the service's kustomization", () => {
    expect([...kustomization.resources].sort()).toEqual(
      readdirSync(dir)
        .filter((f) => f.endsWith(".yaml") && f !== "kustomization.yaml")
        .sort(),
    );
    expect(readFileSync(join(root, "deploy", "kubernetes", "kustomization.yaml"), "utf8")).not.toContain("screening");
  });

  it("is valid against the Kubernetes schemas, with no unknown field", () => {
    for (const { file, doc } of docs) {
      const kind = KINDS[key(doc)];
      expect({ file, kind: kind ? key(doc) : `no schema for ${key(doc)}` }).toEqual({ file, kind: key(doc) });
      expect(() => kind!.validate(doc)).not.toThrow();
      expect(doc["metadata"].namespace).toBe(kustomization.namespace);
    }
    expect(unknownFieldErrors(docs.map(({ file, doc }) => ({ label: file, doc })))).toEqual([]);
  });

  it("runs n shards of one export as an Indexed Job, then merges all n", () => {
    const config = byName("ConfigMap", "vitd-cds-screening")["data"] as Record<string, string>;
    const shards = Number(config["SCREEN_SHARDS"]);
    const screen = byName("Job", "vitd-cds-screen")["spec"];
    expect(screen.completionMode).toBe("Indexed");
    expect([screen.completions, screen.parallelism]).toEqual([shards, shards]);
    const shardArgs = screen.template.spec.containers[0].args.join(" ");
    expect(shardArgs).toContain('--shard "$i/$SCREEN_SHARDS"');
    expect(shardArgs).toContain("--ndjson /data/run/export");
    expect(shardArgs).toContain('--now "$SCREEN_NOW"');
    expect(screen.template.spec.initContainers[0].command.join(" ")).toContain("/data/run/export/manifest.json");
    const exportJob = byName("Job", "vitd-cds-screen-export")["spec"].template.spec;
    expect(exportJob.containers[0].args).toEqual(expect.arrayContaining(["--export-only", "--out", "/data/run"]));
    expect(exportJob.containers[0].env).toEqual([
      { name: "SCREEN_BULK_TOKEN", valueFrom: { secretKeyRef: { name: "vitd-cds-screening", key: "SCREEN_BULK_TOKEN" } } },
    ]);
    const merge = byName("Job", "vitd-cds-screen-merge")["spec"].template.spec;
    expect(merge.containers[0].args.join(" ")).toContain("screen-merge --out /data/run/merged");
    expect(merge.initContainers[0].command.join(" ")).toContain("summary.json");
    expect(byName("PersistentVolumeClaim", "vitd-cds-screening")["spec"].accessModes).toEqual(["ReadWriteMany"]);
  });

  it("hardens every pod and container", () => {
    for (const { doc } of docs.filter((d) => d.doc["kind"] === "Job")) {
      const pod = doc["spec"].template.spec;
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000 });
      expect(pod.automountServiceAccountToken).toBe(false);
      for (const c of [...pod.containers, ...(pod.initContainers ?? [])]) {
        expect(c.securityContext).toEqual({
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          capabilities: { drop: ["ALL"] },
        });
        expect(c.resources.limits.memory).toBeDefined();
        expect(c.volumeMounts).toEqual(expect.arrayContaining([{ name: "tmp", mountPath: "/tmp" }]));
      }
    }
  });
});
