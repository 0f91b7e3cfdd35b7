/**
 * deploy/kubernetes/: every manifest is valid against the Kubernetes schemas and uses no unknown field
 * (./k8s-schema.ts), and the properties operations rely on are pinned: replicas and spreading, probes, secrets,
 * hardening, shutdown timing, disruption budget, autoscaling, network isolation (incl. /metrics) and TLS ingress.
 * The ConfigMap + example Secret are run through the service's own configuration loader.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { ENV_KEYS, loadEnvConfig } from "../../src/config/env-config";
import { k8sDir, kindKey, loadManifestFiles, schemaErrors, unknownFieldErrors, type Manifest } from "./k8s-schema";

const files = loadManifestFiles();
const all = files.flatMap((f) =>
  f.docs.map((doc) => ({ label: `${f.file} ${String(doc["kind"])}/${String(doc["metadata"]?.name)}`, file: f.file, doc })),
);
const one = (kind: string, name = "vitd-cds"): Manifest => {
  const found = all.filter((m) => m.doc["kind"] === kind && m.doc["metadata"]?.name === name);
  if (found.length !== 1) throw new Error(`expected one ${kind}/${name}, found ${found.length}`);
  return found[0]!.doc;
};
const deployment = one("Deployment");
const podSpec = deployment["spec"].template.spec;
const podLabels = deployment["spec"].template.metadata.labels as Record<string, string>;
const container = podSpec.containers[0];
const configMap = one("ConfigMap").data as Record<string, string>;
const secretExample = one("Secret");
const service = one("Service");
const pdb = one("PodDisruptionBudget");
const hpa = one("HorizontalPodAutoscaler");
const netpol = one("NetworkPolicy");
const ingress = one("Ingress");
const kustomization = parse(readFileSync(join(k8sDir, "kustomization.yaml"), "utf8")) as {
  namespace: string;
  resources: string[];
  images?: { name: string; newTag: string }[];
};

/** A label selector's matchLabels select the pod template's labels. */
const selects = (selector: { matchLabels?: Record<string, string> }) =>
  Object.keys(selector.matchLabels ?? {}).length > 0 && Object.entries(selector.matchLabels ?? {}).every(([k, v]) => podLabels[k] === v);

function cpu(q: string | number): number {
  const s = String(q);
  return s.endsWith("m") ? Number(s.slice(0, -1)) / 1000 : Number(s);
}
function bytes(q: string): number {
  const m = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|K|M|G)?$/.exec(q);
  if (!m) throw new Error(`not a memory quantity: ${q}`);
  const unit = { Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, K: 1e3, M: 1e6, G: 1e9 }[m[2] ?? ""] ?? 1;
  return Number(m[1]) * unit;
}
/** Environment variable names the service reads: the keys of src/config/env-config.ts's schema, plus CDS_TRUSTED_ISSUERS. */
const knownEnv = new Set(ENV_KEYS);

describe("deploy/kubernetes against the Kubernetes schemas (kubernetes-models, offline)", () => {
  it("holds the expected objects", () => {
    expect(all.map((m) => kindKey(m.doc)).sort()).toEqual(
      [
        "apps/v1 Deployment",
        "autoscaling/v2 HorizontalPodAutoscaler",
        "networking.k8s.io/v1 Ingress",
        "networking.k8s.io/v1 NetworkPolicy",
        "networking.k8s.io/v1 NetworkPolicy",
        "policy/v1 PodDisruptionBudget",
        "v1 ConfigMap",
        "v1 Namespace",
        "v1 Secret",
        "v1 Service",
        "v1 ServiceAccount",
      ].sort(),
    );
  });
  it.each(all.map((m) => [m.label, m.doc] as const))("%s is valid", (_label, doc) => {
    expect(schemaErrors(doc)).toEqual([]);
  });
  it("no manifest uses a field the API does not define (strict field validation)", () => {
    expect(unknownFieldErrors(all)).toEqual([]);
  });
  it("the checks really check: wrong types, missing fields and unknown fields are reported", () => {
    const broken = structuredClone(deployment);
    broken["spec"].replicas = "two";
    delete broken["spec"].template.spec.containers[0].readinessProbe.httpGet.port;
    expect(schemaErrors(broken).join("\n")).toMatch(/replicas must be integer[\s\S]*port|port[\s\S]*replicas must be integer/);
    const typo = structuredClone(deployment);
    typo["spec"].template.spec.containers[0].readinesProbe = typo["spec"].template.spec.containers[0].readinessProbe;
    const typoNetpol = structuredClone(netpol);
    typoNetpol["spec"].ingress[0].from[0].namespaceSelecter = {};
    const errors = unknownFieldErrors([
      { label: "typo deployment", doc: typo },
      { label: "typo netpol", doc: typoNetpol },
    ]);
    expect(errors).toEqual([
      expect.stringMatching(/^typo deployment: .*readinesProbe/),
      expect.stringMatching(/^typo netpol: .*namespaceSelecter/),
    ]);
    expect(schemaErrors({ apiVersion: "apps/v1beta1", kind: "Deployment" })).toEqual(['no schema for "apps/v1beta1 Deployment"']);
  });
});

describe("kustomization and namespacing", () => {
  it("lists every manifest except the example Secret, and nothing else", () => {
    const manifests = files.map((f) => f.file).filter((f) => f !== "secret.example.yaml");
    expect([...kustomization.resources].sort()).toEqual(manifests.sort());
    expect(kustomization.resources).not.toContain("secret.example.yaml");
  });
  it("everything lives in the vitd-cds namespace, which enforces the restricted Pod Security Standard", () => {
    expect(kustomization.namespace).toBe("vitd-cds");
    for (const { label, doc } of all)
      if (doc["kind"] !== "Namespace") expect([label, doc["metadata"].namespace]).toEqual([label, "vitd-cds"]);
    const ns = one("Namespace");
    expect(ns["metadata"].labels["pod-security.kubernetes.io/enforce"]).toBe("restricted");
  });
  it("the image is pinned to a tag (not latest), and kustomize's image override agrees", () => {
    const [name, tag] = String(container.image).split(":");
    expect(tag).toMatch(/^\d+\.\d+\.\d+$/);
    expect(kustomization.images).toEqual([{ name, newTag: tag }]);
  });
});

describe("Deployment", () => {
  it("runs at least 2 replicas, spread across nodes, rolling without losing capacity", () => {
    expect(deployment["spec"].replicas).toBeGreaterThanOrEqual(2);
    expect(selects(deployment["spec"].selector)).toBe(true);
    const byNode = podSpec.topologySpreadConstraints.find((c: Manifest) => c["topologyKey"] === "kubernetes.io/hostname");
    expect(byNode).toMatchObject({ maxSkew: 1, whenUnsatisfiable: "DoNotSchedule" });
    expect(selects(byNode.labelSelector)).toBe(true);
    expect(deployment["spec"].strategy.rollingUpdate.maxUnavailable).toBe(0);
  });
  it("probes: startup and liveness on /healthz, readiness on /readyz, all on the container's port", () => {
    const port = container.ports.find((p: Manifest) => p["name"] === "http");
    expect(port.containerPort).toBe(Number(configMap["PORT"]));
    for (const [probe, path] of [
      ["startupProbe", "/healthz"],
      ["livenessProbe", "/healthz"],
      ["readinessProbe", "/readyz"],
    ] as const) {
      expect([probe, container[probe].httpGet]).toEqual([probe, { path, port: "http" }]);
    }
    // /readyz waits up to 2 s for the feedback store (src/http/probes.ts): the probe must wait longer.
    expect(container.readinessProbe.timeoutSeconds).toBeGreaterThan(2);
    // The startup probe gives at least 30 s before liveness may restart the pod.
    expect(container.startupProbe.periodSeconds * container.startupProbe.failureThreshold).toBeGreaterThanOrEqual(30);
  });
  it("CDS_DATABASE_URL and CDS_TRUSTED_ISSUERS come from the Secret, the rest from the ConfigMap", () => {
    const env = Object.fromEntries(container.env.map((e: Manifest): [string, Manifest] => [String(e["name"]), e]));
    for (const key of ["CDS_DATABASE_URL", "CDS_TRUSTED_ISSUERS"]) {
      expect(env[key]).toEqual({ name: key, valueFrom: { secretKeyRef: { name: "vitd-cds", key } } });
      expect(configMap[key]).toBeUndefined();
    }
    expect(container.envFrom).toEqual([{ configMapRef: { name: "vitd-cds" } }]);
    expect(Object.keys(env).sort()).toEqual(["CDS_DATABASE_URL", "CDS_TRUSTED_ISSUERS"]); // no literal values in the Deployment
  });
  it("is hardened: non-root (numeric uid), read-only root filesystem, no privilege escalation, no capabilities, seccomp", () => {
    expect(podSpec.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } });
    expect(podSpec.securityContext.runAsUser).toBeGreaterThan(0);
    expect(container.securityContext).toMatchObject({
      runAsNonRoot: true,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      privileged: false,
      capabilities: { drop: ["ALL"] },
    });
    expect(container.securityContext.capabilities.add).toBeUndefined();
    expect(podSpec.automountServiceAccountToken).toBe(false);
    expect(one("ServiceAccount")["automountServiceAccountToken"]).toBe(false);
    // The only writable path: /tmp, an emptyDir with a size limit.
    expect(container.volumeMounts).toEqual([{ name: "tmp", mountPath: "/tmp" }]);
    expect(podSpec.volumes).toEqual([{ name: "tmp", emptyDir: { medium: "Memory", sizeLimit: expect.any(String) } }]);
  });
  it("requests and limits are set; the memory request covers the peak RSS of docs/benchmarks.md's soak", () => {
    const { requests, limits } = container.resources;
    expect(cpu(requests.cpu)).toBeGreaterThan(0);
    expect(cpu(limits.cpu)).toBeGreaterThanOrEqual(cpu(requests.cpu));
    const peak = /\| peak RSS sampled during the soak \| ([\d.]+) MiB \|/.exec(
      readFileSync(join(__dirname, "..", "..", "docs", "benchmarks.md"), "utf8"),
    );
    expect(peak).not.toBeNull();
    expect(bytes(requests.memory)).toBeGreaterThanOrEqual(Number(peak![1]) * 1024 ** 2);
    expect(bytes(limits.memory)).toBeGreaterThanOrEqual(bytes(requests.memory));
    // The V8 heap cap (NODE_OPTIONS) must fit well inside the memory limit.
    const heapMb = Number(/--max-old-space-size=(\d+)/.exec(configMap["NODE_OPTIONS"] ?? "")?.[1]);
    expect(heapMb * 1024 ** 2).toBeLessThanOrEqual(bytes(limits.memory) / 2);
  });
  it("terminationGracePeriodSeconds exceeds the app's drain + grace (ConfigMap), and there is no preStop hook", () => {
    const drainAndGraceS = (Number(configMap["CDS_SHUTDOWN_DRAIN_MS"]) + Number(configMap["CDS_SHUTDOWN_GRACE_MS"])) / 1000;
    expect(drainAndGraceS).toBeGreaterThan(0);
    expect(podSpec.terminationGracePeriodSeconds).toBeGreaterThan(drainAndGraceS);
    // The app drains itself after SIGTERM (src/shutdown.ts); a preStop sleep would only add to that budget.
    expect(container.lifecycle?.preStop).toBeUndefined();
  });
});

describe("ConfigMap and Secret", () => {
  it("the ConfigMap sets only variables the service (or Node) reads", () => {
    const unknown = Object.keys(configMap).filter((k) => !knownEnv.has(k) && k !== "NODE_OPTIONS");
    expect(unknown).toEqual([]);
    expect(knownEnv.size).toBeGreaterThan(20); // the schema keys were really found
  });
  it("ConfigMap + example Secret pass the service's own configuration checks, as production with JWT auth", () => {
    const env = { ...configMap, ...(secretExample["stringData"] as Record<string, string>) };
    const config = loadEnvConfig(env);
    expect(config.nodeEnv).toBe("production");
    expect(Object.keys(config.trustedIssuers).length).toBeGreaterThan(0);
    expect(config.publicUrl).toMatch(/^https:\/\//);
    expect(config.databaseUrl).toMatch(/^postgres:\/\//);
    expect(config.fhirAllowlist).not.toBe("any");
    // Behind the ingress: trust the proxy hop, but never "true" (that would trust any X-Forwarded-For).
    expect(config.trustProxy).not.toBe(false);
    expect(config.trustProxy).not.toBe(true);
  });
  it("the example Secret holds exactly the keys the Deployment reads, with placeholder values", () => {
    const data = secretExample["stringData"] as Record<string, string>;
    expect(Object.keys(data).sort()).toEqual(["CDS_DATABASE_URL", "CDS_TRUSTED_ISSUERS"]);
    expect(data["CDS_DATABASE_URL"]).toContain("REPLACE-ME");
    expect(data["CDS_TRUSTED_ISSUERS"]).toContain(".invalid");
    expect(secretExample["data"]).toBeUndefined();
  });
  it("the ConfigMap holds no secret", () => {
    for (const [k, v] of Object.entries(configMap)) expect([k, /password|secret|token|:\/\/[^/]*@/i.test(`${k}=${v}`)]).toEqual([k, false]);
  });
});

describe("Service, PodDisruptionBudget, HorizontalPodAutoscaler", () => {
  it("Service: ClusterIP, port 80 → the container's http port (3000), selecting the pods", () => {
    expect(service["spec"].type).toBe("ClusterIP");
    expect(service["spec"].ports).toEqual([{ name: "http", port: 80, targetPort: "http", protocol: "TCP" }]);
    expect(container.ports).toEqual([{ name: "http", containerPort: 3000, protocol: "TCP" }]);
    expect(selects({ matchLabels: service["spec"].selector })).toBe(true);
  });
  it("PDB: minAvailable 1 over the pods; unready pods stay evictable during a database outage", () => {
    expect(pdb["spec"].minAvailable).toBe(1);
    expect(selects(pdb["spec"].selector)).toBe(true);
    expect(pdb["spec"].unhealthyPodEvictionPolicy).toBe("AlwaysAllow");
    expect(pdb["spec"].minAvailable).toBeLessThan(deployment["spec"].replicas);
  });
  it("HPA: scales the Deployment on CPU from at least 2 replicas", () => {
    expect(hpa["spec"].scaleTargetRef).toEqual({ apiVersion: "apps/v1", kind: "Deployment", name: "vitd-cds" });
    expect(hpa["spec"].minReplicas).toBeGreaterThanOrEqual(2);
    expect(hpa["spec"].minReplicas).toBeLessThanOrEqual(deployment["spec"].replicas);
    expect(hpa["spec"].maxReplicas).toBeGreaterThan(hpa["spec"].minReplicas);
    expect(hpa["spec"].metrics).toEqual([
      { type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: expect.any(Number) } } },
    ]);
  });
  it("at the HPA's maximum plus the rollout surge, the pools fit PostgreSQL's default max_connections (100) with 10 to spare", () => {
    const pods = hpa["spec"].maxReplicas + deployment["spec"].strategy.rollingUpdate.maxSurge;
    expect(pods * Number(configMap["CDS_DB_POOL_MAX"])).toBeLessThanOrEqual(90);
  });
});

describe("NetworkPolicy", () => {
  const portsOf = (rule: Manifest) => (rule["ports"] as Manifest[]).map((p) => `${p["port"]}/${p["protocol"]}`).sort();
  const namespacesOf = (rule: Manifest): string[] =>
    ((rule["from"] ?? rule["to"]) as Manifest[]).map((peer): string =>
      String(peer["namespaceSelector"]?.matchLabels?.["kubernetes.io/metadata.name"]),
    );
  it("a default deny covers the whole namespace", () => {
    expect(one("NetworkPolicy", "default-deny")["spec"]).toEqual({ podSelector: {}, policyTypes: ["Ingress", "Egress"] });
  });
  it("selects the service's pods and restricts both directions", () => {
    expect(selects(netpol["spec"].podSelector)).toBe(true);
    expect(netpol["spec"].policyTypes).toEqual(["Ingress", "Egress"]);
  });
  it("ingress: only the service port, only from the ingress controller and monitoring namespaces (no open rule)", () => {
    const rules = netpol["spec"].ingress as Manifest[];
    for (const rule of rules) {
      expect(rule["from"]?.length).toBeGreaterThan(0); // a rule without `from` admits every source
      expect(portsOf(rule)).toEqual([`${container.ports[0].containerPort}/TCP`]);
      for (const peer of rule["from"]) expect(peer["ipBlock"]).toBeUndefined();
    }
    expect(rules.flatMap(namespacesOf).sort()).toEqual(["ingress-nginx", "monitoring"]);
  });
  it("egress: cluster DNS, PostgreSQL, and HTTPS to public addresses only (no cloud metadata, no private ranges)", () => {
    const rules = netpol["spec"].egress as Manifest[];
    for (const rule of rules) {
      expect(rule["to"]?.length).toBeGreaterThan(0);
      expect(rule["ports"]?.length).toBeGreaterThan(0);
    }
    expect(rules.map(portsOf)).toEqual([["53/TCP", "53/UDP"], ["5432/TCP"], ["443/TCP"]]);
    expect(rules[0]!["to"][0].podSelector.matchLabels).toEqual({ "k8s-app": "kube-dns" });
    expect(namespacesOf(rules[0]!)).toEqual(["kube-system"]);
    const https = rules[2]!["to"] as Manifest[];
    const v4 = https.find((p) => p["ipBlock"].cidr === "0.0.0.0/0")!;
    expect(v4["ipBlock"].except).toEqual(expect.arrayContaining(["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16"]));
    const v6 = https.find((p) => p["ipBlock"].cidr === "::/0")!;
    expect(v6["ipBlock"].except).toEqual(expect.arrayContaining(["fc00::/7", "fe80::/10"]));
  });
});

describe("Ingress (TLS; /metrics and the probes are not routed)", () => {
  const rules = ingress["spec"].rules as Manifest[];
  const paths = rules.flatMap((r) => r["http"].paths as Manifest[]);
  /** Kubernetes path matching: Exact, or Prefix by whole path elements. */
  const routes = (requestPath: string) =>
    paths.some((p) => {
      const path = String(p["path"]);
      if (p["pathType"] === "Exact") return requestPath === path;
      const prefix = path.replace(/\/+$/, "");
      return prefix === "" || requestPath === prefix || requestPath.startsWith(`${prefix}/`);
    });
  it("routes the CDS Hooks API and the SMART app to the Service's http port", () => {
    expect(paths.map((p): string[] => [String(p["path"]), String(p["pathType"])])).toEqual([
      ["/cds-services", "Prefix"],
      ["/smart", "Prefix"],
    ]);
    for (const p of paths) expect(p["backend"]).toEqual({ service: { name: "vitd-cds", port: { name: "http" } } });
    for (const path of [
      "/cds-services",
      "/cds-services/vitd-patient-view",
      "/cds-services/vitd-order-sign/feedback",
      "/smart",
      "/smart/launch.html",
    ])
      expect([path, routes(path)]).toEqual([path, true]);
  });
  it("does not route /metrics, /healthz, /readyz or anything outside the allow-list", () => {
    for (const path of ["/metrics", "/metrics/", "/healthz", "/readyz", "/", "/sandbox", "/fhir/Patient", "/cds-servicesx"])
      expect([path, routes(path)]).toEqual([path, false]);
    expect(ingress["spec"].defaultBackend).toBeUndefined();
  });
  it("terminates TLS for every host, which is CDS_PUBLIC_URL's host", () => {
    const tlsHosts = (ingress["spec"].tls as Manifest[]).flatMap((t): string[] => t["hosts"] as string[]);
    for (const r of rules) expect(tlsHosts).toContain(r["host"]);
    expect(rules.map((r) => `https://${r["host"]}`)).toEqual([configMap["CDS_PUBLIC_URL"]]);
    expect(ingress["metadata"].annotations["nginx.ingress.kubernetes.io/force-ssl-redirect"]).toBe("true");
  });
  it("accepts hook bodies up to CDS_BODY_LIMIT (default 5mb), which nginx's default 1m would refuse", () => {
    const size = String(ingress["metadata"].annotations["nginx.ingress.kubernetes.io/proxy-body-size"]);
    expect(bytes(size.replace(/m$/i, "M"))).toBeGreaterThanOrEqual(5 * 1024 * 1024);
  });
});

describe("deploy/kubernetes/README.md", () => {
  it("explains /metrics isolation, the Secret and the missing preStop hook", () => {
    const readme = readFileSync(join(k8sDir, "README.md"), "utf8");
    for (const words of ["/metrics", "secret.example.yaml", "preStop", "kubectl apply -k"]) expect(readme).toContain(words);
  });
});
