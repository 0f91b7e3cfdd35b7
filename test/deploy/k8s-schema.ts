/**
 * Offline validation of the Kubernetes manifests in deploy/kubernetes/ (no cluster, no kubectl):
 *
 * 1. Schema: `kubernetes-models` (4.x, the last line with a CommonJS build: 5.x is ESM-only and declares
 *    Node ≥ 22, so jest's CommonJS resolver cannot load it on Node 20) ships ajv validators generated from the
 *    official Kubernetes OpenAPI schemas (≈ v1.33). They check types, enums and required fields, but — like the
 *    OpenAPI documents — they accept unknown fields, so a typo (`readinesProbe`) would pass.
 * 2. Unknown fields: each manifest is type-checked, as an object literal, against the package's TypeScript
 *    interface for its kind (generated from the same schemas); excess-property checking rejects every field the
 *    API does not define, at any depth — what `kubectl apply --validate=strict` would reject.
 */
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import * as ts from "typescript";
import { parseAllDocuments } from "yaml";
import { Deployment } from "kubernetes-models/apps/v1";
import { Job } from "kubernetes-models/batch/v1";
import { HorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2";
import { Ingress, NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1";
import { ConfigMap, Namespace, PersistentVolumeClaim, Secret, Service, ServiceAccount } from "kubernetes-models/v1";

export const root = join(__dirname, "..", "..");
export const k8sDir = join(root, "deploy", "kubernetes");

/** Parsed manifest: plain JSON-like data. */
export type Manifest = Record<string, any>;
export interface ManifestFile {
  file: string;
  docs: Manifest[];
}

interface Kind {
  validate: (data: Manifest) => void;
  /** Module and interface of the kind's TypeScript type. */
  module: string;
  type: string;
}

const model =
  (Ctor: new (data: any) => { validate(): void }) =>
  (data: Manifest): void => {
    new Ctor(data).validate();
  };

/** Every kind deploy/kubernetes/ may hold, keyed by "apiVersion kind". */
export const KINDS: Record<string, Kind> = {
  "v1 Namespace": { validate: model(Namespace), module: "kubernetes-models/v1/Namespace", type: "INamespace" },
  "v1 ServiceAccount": { validate: model(ServiceAccount), module: "kubernetes-models/v1/ServiceAccount", type: "IServiceAccount" },
  "v1 ConfigMap": { validate: model(ConfigMap), module: "kubernetes-models/v1/ConfigMap", type: "IConfigMap" },
  "batch/v1 Job": { validate: model(Job), module: "kubernetes-models/batch/v1/Job", type: "IJob" },
  "v1 PersistentVolumeClaim": {
    validate: model(PersistentVolumeClaim),
    module: "kubernetes-models/v1/PersistentVolumeClaim",
    type: "IPersistentVolumeClaim",
  },
  "v1 Secret": { validate: model(Secret), module: "kubernetes-models/v1/Secret", type: "ISecret" },
  "v1 Service": { validate: model(Service), module: "kubernetes-models/v1/Service", type: "IService" },
  "apps/v1 Deployment": { validate: model(Deployment), module: "kubernetes-models/apps/v1/Deployment", type: "IDeployment" },
  "policy/v1 PodDisruptionBudget": {
    validate: model(PodDisruptionBudget),
    module: "kubernetes-models/policy/v1/PodDisruptionBudget",
    type: "IPodDisruptionBudget",
  },
  "autoscaling/v2 HorizontalPodAutoscaler": {
    validate: model(HorizontalPodAutoscaler),
    module: "kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler",
    type: "IHorizontalPodAutoscaler",
  },
  "networking.k8s.io/v1 NetworkPolicy": {
    validate: model(NetworkPolicy),
    module: "kubernetes-models/networking.k8s.io/v1/NetworkPolicy",
    type: "INetworkPolicy",
  },
  "networking.k8s.io/v1 Ingress": { validate: model(Ingress), module: "kubernetes-models/networking.k8s.io/v1/Ingress", type: "IIngress" },
};

export const kindKey = (doc: Manifest): string => `${String(doc["apiVersion"])} ${String(doc["kind"])}`;

/** Every *.yaml under deploy/kubernetes/ except kustomization.yaml, with its YAML documents. */
export function loadManifestFiles(dir = k8sDir): ManifestFile[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".yaml") && f !== "kustomization.yaml")
    .sort()
    .map((file) => {
      const parsed = parseAllDocuments(readFileSync(join(dir, file), "utf8"));
      const docs = parsed.map((d) => {
        if (d.errors.length > 0) throw new Error(`${file}: ${d.errors.map((e) => e.message).join("; ")}`);
        return d.toJS() as Manifest;
      });
      return { file, docs: docs.filter((d) => d !== null) };
    });
}

/** Schema errors of one manifest ([] when valid); an unknown apiVersion/kind is an error too. */
export function schemaErrors(doc: Manifest): string[] {
  const kind = KINDS[kindKey(doc)];
  if (!kind) return [`no schema for "${kindKey(doc)}"`];
  try {
    kind.validate(doc);
    return [];
  } catch (e) {
    return [(e as Error).message];
  }
}

/**
 * Fields no Kubernetes schema defines, per manifest: every manifest becomes `const mN: IKind = <JSON>;` in one
 * in-memory TypeScript file, type-checked once. Returns "label: message" lines ([] when every field is known).
 */
export function unknownFieldErrors(manifests: { label: string; doc: Manifest }[]): string[] {
  const fileName = join(root, "test", "deploy", "__k8s_manifests__.ts");
  const aliases = new Map<string, string>(); // module → local type name
  const header: string[] = [];
  const lines: string[] = [];
  const labels: string[] = [];
  manifests.forEach(({ label, doc }, i) => {
    const kind = KINDS[kindKey(doc)];
    if (!kind) throw new Error(`${label}: no schema for "${kindKey(doc)}"`);
    let alias = aliases.get(kind.module);
    if (!alias) {
      alias = `T${aliases.size}`;
      aliases.set(kind.module, alias);
      header.push(`import type { ${kind.type} as ${alias} } from "${kind.module}";`);
    }
    lines.push(`export const m${i}: ${alias} = ${JSON.stringify(doc)};`);
    labels.push(label);
  });
  const source = [...header, ...lines].join("\n");
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, language, onError, shouldCreate) =>
    name === fileName ? ts.createSourceFile(name, source, language) : getSourceFile(name, language, onError, shouldCreate);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => name === fileName || fileExists(name);
  const program = ts.createProgram([fileName], options, host);
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const message = ts.flattenDiagnosticMessageText(d.messageText, "\n");
    if (d.file?.fileName !== fileName || d.start === undefined) return `(setup) ${message}`;
    const line = d.file.getLineAndCharacterOfPosition(d.start).line - header.length;
    return `${labels[line] ?? "(import)"}: ${message}`;
  });
}
