/**
 * The EHR simulator page: choose the CDS service (discovery URL) and the FHIR server, a provider and
 * a patient; fire patient-view, order-select or order-sign (with the patient's draft vitamin D order);
 * show the cards and the exact hook request and response JSON; apply suggestions (drafts of the order
 * being signed are edited locally like an order basket; other actions go to the FHIR server), send
 * feedback, and launch the SMART app — an EHR launch through the sandbox's SMART authorization server
 * (/smart-auth), carrying a card link's appContext. Nothing from a server becomes markup: text goes
 * through text nodes, card markdown through the app's inert markdown renderer.
 */
import { byId, h } from "../../../launch/src/dom";
import type { Action, Card, Coding, Link, Suggestion } from "../../../src/render/card-schema";
import {
  ApiError,
  applyOnServer,
  callHook,
  discover,
  getConfig,
  getDraftOrders,
  getPatients,
  getWriteToken,
  resetDemoData,
  searchFhir,
  sendFeedback,
  type DiscoveredService,
  type FhirResourceLike,
  type HookExchange,
  type HookName,
  type PatientEntry,
  type SandboxConfig,
} from "./api";
import { renderCards } from "./cards-view";
import { humanName, smartLaunchUrl } from "./launch-url";

interface State {
  config: SandboxConfig;
  demoPatients: PatientEntry[];
  patients: PatientEntry[];
  /** Credential for writes to the in-process /fhir (undefined with an external FHIR server). */
  writeToken: string | undefined;
  discoveryUrl: string;
  services: DiscoveredService[];
  /** The FHIR server chosen on the page (as the browser reaches it). */
  fhirUrl: string;
  userId: string;
  patient?: PatientEntry | undefined;
  /** The order basket of the current order hook: draft MedicationRequests, editable by suggestions. */
  drafts: FhirResourceLike[];
  lastHook: HookName;
  lastServiceUrl: string;
}

const el = {
  discovery: byId<HTMLInputElement>("discovery-url"),
  fhirUrl: byId<HTMLInputElement>("fhir-url"),
  setupForm: byId<HTMLFormElement>("setup-form"),
  setupStatus: byId("setup-status"),
  provider: byId<HTMLSelectElement>("provider-select"),
  select: byId<HTMLSelectElement>("patient-select"),
  story: byId("patient-story"),
  expected: byId("patient-expected"),
  draft: byId("draft-order"),
  cards: byId("cards"),
  alert: byId("alert"),
  log: byId("log"),
  reset: byId<HTMLButtonElement>("reset-data"),
  hookStatus: byId("hook-status"),
  hookUrl: byId("hook-url"),
  hookRequest: byId("hook-request"),
  hookResponse: byId("hook-response"),
};

const defaultDiscovery = () => `${location.origin}/cds-services`;
const sandboxBrowserFhir = (s: State) => s.config.browserFhirServer ?? `${location.origin}/fhir`;
/** The chosen FHIR server is the sandbox's own (demo patients, write token, SMART authorization server). */
const usingSandboxFhir = (s: State) => s.fhirUrl === sandboxBrowserFhir(s);
/** What the CDS service is told: the sandbox's own server by its server-side address, any other as typed. */
const hookFhir = (s: State) => (usingSandboxFhir(s) ? (s.config.hookFhirServer ?? s.fhirUrl) : s.fhirUrl);

function log(message: string): void {
  el.log.prepend(h("li", {}, `${new Date().toLocaleTimeString()} — ${message}`));
}

function showError(err: unknown): void {
  el.alert.hidden = false;
  el.alert.textContent = err instanceof Error ? err.message : String(err);
}

function showExchange(x: HookExchange): void {
  el.hookUrl.textContent = `POST ${x.url}`;
  el.hookRequest.textContent = JSON.stringify(x.request, null, 2);
  el.hookResponse.textContent =
    x.response === undefined ? "(no response)" : typeof x.response === "string" ? x.response : JSON.stringify(x.response, null, 2);
  el.hookStatus.textContent =
    x.status !== undefined
      ? `HTTP ${x.status}${x.cards ? ` · ${x.cards.length} card${x.cards.length === 1 ? "" : "s"}` : ""}`
      : "no answer";
}

function describeDraft(r: FhirResourceLike): string {
  const med = (r["medicationCodeableConcept"] as { text?: string } | undefined)?.text ?? "medication";
  const dosage = (r["dosageInstruction"] as { text?: string }[] | undefined)?.[0]?.text ?? "";
  return `${med} — ${dosage}`;
}

function renderDrafts(s: State): void {
  el.draft.hidden = s.drafts.length === 0;
  el.draft.replaceChildren(
    h("strong", {}, "Order basket (draft, not signed): "),
    ...s.drafts.map((d) => h("div", { "data-draft": d.id }, describeDraft(d))),
  );
}

function selectPatient(s: State, id: string): void {
  s.patient = s.patients.find((p) => p.id === id);
  s.drafts = [];
  renderDrafts(s);
  el.cards.replaceChildren();
  el.alert.hidden = true;
  if (!s.patient) {
    el.story.textContent = "";
    el.expected.textContent = "";
    return;
  }
  const expected = s.patient.expected;
  const entries = Object.entries(expected ?? {});
  el.expected.textContent =
    expected === undefined
      ? "not known (not a demo patient)"
      : entries.length === 0
        ? "none"
        : entries.map(([topic, ind]) => `${topic} ${ind}`).join(", ");
  el.story.textContent = s.patient.story ?? `Patient/${s.patient.id} on ${s.fhirUrl}.`;
}

/** A draft-basket action: returns true when it was applied locally. */
function applyToBasket(s: State, action: Action): boolean {
  const resource = action.resource as FhirResourceLike | undefined;
  const ref = action.resourceId ?? (resource?.id ? `${resource.resourceType}/${resource.id}` : "");
  const index = s.drafts.findIndex((d) => `${d.resourceType}/${d.id ?? ""}` === ref);
  if (s.lastHook === "patient-view") return false;
  if (action.type === "delete" && index >= 0) s.drafts.splice(index, 1);
  else if (action.type === "update" && index >= 0 && resource) s.drafts[index] = resource;
  else if (action.type === "create" && resource?.resourceType === "MedicationRequest" && resource["status"] === "draft")
    s.drafts.push(resource);
  else return false;
  renderDrafts(s);
  return true;
}

async function accept(s: State, card: Card, suggestion: Suggestion): Promise<void> {
  try {
    for (const action of suggestion.actions ?? []) {
      log(
        applyToBasket(s, action)
          ? `${action.type} in the order basket: ${action.description}`
          : await applyOnServer(s.fhirUrl, action, s.writeToken),
      );
    }
    if (card.uuid && suggestion.uuid) {
      await sendFeedback(s.lastServiceUrl, {
        card: card.uuid,
        outcome: "accepted",
        acceptedSuggestions: [{ id: suggestion.uuid }],
        outcomeTimestamp: new Date().toISOString(),
      });
      log(`feedback sent: accepted "${suggestion.label}"`);
    }
  } catch (err) {
    showError(err);
  }
}

async function override(s: State, card: Card, reason: Coding | undefined, comment: string): Promise<void> {
  try {
    if (!card.uuid) throw new ApiError("This card has no uuid, so no feedback can be sent for it.");
    const overrideReason = { ...(reason ? { reason } : {}), ...(comment ? { userComment: comment } : {}) };
    await sendFeedback(s.lastServiceUrl, {
      card: card.uuid,
      outcome: "overridden",
      ...(reason || comment ? { overrideReason } : {}),
      outcomeTimestamp: new Date().toISOString(),
    });
    log(`feedback sent: overridden${reason ? ` (${reason.display ?? reason.code})` : ""}`);
  } catch (err) {
    showError(err);
  }
}

/** The app's launch URL for the current patient: the app's own, or a card link's (with its appContext). */
function launchUrl(s: State, link?: Link): string {
  return smartLaunchUrl({
    origin: location.origin,
    appLaunchUrl: link?.url ?? `${location.origin}/smart/launch.html`,
    patientId: s.patient?.id ?? "",
    appContext: link?.appContext,
    // The sandbox's authorization server guards the sandbox's FHIR server; another server is opened as an open server.
    ehrLaunch: usingSandboxFhir(s),
    fhirUrl: s.fhirUrl,
  });
}

function serviceFor(s: State, hook: HookName): DiscoveredService | undefined {
  return s.services.find((svc) => svc.hook === hook);
}

async function loadDrafts(s: State, patient: PatientEntry): Promise<void> {
  if (s.drafts.length > 0) return;
  const bundle = usingSandboxFhir(s) || patient.story ? await getDraftOrders(patient.id) : undefined;
  s.drafts = (bundle?.entry ?? []).flatMap((e) => (e.resource ? [e.resource] : []));
  if (s.drafts.length === 0)
    throw new ApiError(`${patient.name} has no draft vitamin D order in the sandbox: try "Open chart (patient-view)".`);
  renderDrafts(s);
}

async function fire(s: State, hook: HookName): Promise<void> {
  const patient = s.patient;
  if (!patient) return;
  el.alert.hidden = true;
  try {
    const service = serviceFor(s, hook);
    if (!service) throw new ApiError(`The CDS service at ${s.discoveryUrl} offers no ${hook} service.`);
    if (hook !== "patient-view") await loadDrafts(s, patient);
    const context: Record<string, unknown> = { userId: s.userId, patientId: patient.id };
    if (hook !== "patient-view")
      context["draftOrders"] = { resourceType: "Bundle", type: "collection", entry: s.drafts.map((resource) => ({ resource })) };
    if (hook === "order-select") context["selections"] = s.drafts.map((d) => `${d.resourceType}/${d.id ?? ""}`);
    s.lastHook = hook;
    s.lastServiceUrl = `${s.discoveryUrl.replace(/\/+$/, "")}/${encodeURIComponent(service.id)}`;
    el.cards.replaceChildren(h("p", { class: "muted" }, "Calling the CDS service…"));
    const exchange = await callHook(s.lastServiceUrl, hook, { hook, hookInstance: crypto.randomUUID(), fhirServer: hookFhir(s), context });
    showExchange(exchange);
    if (exchange.error || !exchange.cards) {
      el.cards.replaceChildren();
      throw exchange.error ?? new ApiError(`The ${hook} hook gave no cards.`);
    }
    const cards = exchange.cards;
    renderCards(el.cards, cards, {
      accept: (c, sg) => accept(s, c, sg),
      override: (c, r, m) => override(s, c, r, m),
      smartLaunchUrl: (link) => launchUrl(s, link),
    });
    log(
      `${hook} for ${patient.name}: ${cards.length === 0 ? "no cards" : cards.map((c) => `${c.source.topic?.code ?? "?"} ${c.indicator}`).join(", ")}`,
    );
  } catch (err) {
    showError(err);
  }
}

function patientFromFhir(r: FhirResourceLike): PatientEntry {
  return { id: r.id ?? "", name: humanName(r["name"]) ?? `Patient/${r.id ?? "?"}` };
}

async function loadPickers(s: State): Promise<void> {
  const own = usingSandboxFhir(s);
  s.patients = own ? s.demoPatients : (await searchFhir(s.fhirUrl, "Patient?_count=100")).filter((p) => p.id).map(patientFromFhir);
  el.select.replaceChildren(
    ...s.patients.map((p) => h("option", { value: p.id }, `${p.name} (${p.id})${p.hook === "order-sign" ? " — order" : ""}`)),
  );
  let practitioners: FhirResourceLike[] = [];
  try {
    practitioners = (await searchFhir(s.fhirUrl, "Practitioner?_count=100")).filter((p) => p.id);
  } catch {
    log(`no Practitioner search on ${s.fhirUrl}: using ${s.config.userId}`);
  }
  const users = practitioners.map((p) => ({ ref: `Practitioner/${p.id ?? ""}`, name: humanName(p["name"]) }));
  if (!users.some((u) => u.ref === s.config.userId)) users.unshift({ ref: s.config.userId, name: undefined });
  el.provider.replaceChildren(...users.map((u) => h("option", { value: u.ref }, u.name ? `${u.name} (${u.ref})` : u.ref)));
  el.provider.value = users.some((u) => u.ref === s.userId) ? s.userId : s.config.userId;
  s.userId = el.provider.value;
  selectPatient(s, s.patients[0]?.id ?? "");
}

async function connect(s: State, discoveryUrl: string, fhirUrl: string): Promise<void> {
  el.setupStatus.textContent = "Connecting…";
  el.alert.hidden = true;
  try {
    const services = await discover(discoveryUrl);
    s.discoveryUrl = discoveryUrl.replace(/\/+$/, "");
    s.services = services;
    s.fhirUrl = fhirUrl.replace(/\/+$/, "");
    await loadPickers(s);
    el.reset.hidden = !(s.config.canReset && usingSandboxFhir(s));
    el.setupStatus.textContent = `${services.length} service${services.length === 1 ? "" : "s"} (${services.map((x) => x.hook).join(", ")}) · ${s.patients.length} patients on ${s.fhirUrl}`;
  } catch (err) {
    el.setupStatus.textContent = "Not connected.";
    showError(err);
  }
}

async function start(): Promise<void> {
  const [config, demoPatients, writeToken] = await Promise.all([getConfig(), getPatients(), getWriteToken()]);
  const s: State = {
    config,
    demoPatients,
    patients: [],
    writeToken,
    discoveryUrl: defaultDiscovery(),
    services: [],
    fhirUrl: "",
    userId: config.userId,
    drafts: [],
    lastHook: "patient-view",
    lastServiceUrl: "",
  };
  s.fhirUrl = sandboxBrowserFhir(s);
  el.discovery.value = s.discoveryUrl;
  el.fhirUrl.value = s.fhirUrl;
  el.setupForm.addEventListener("submit", (e) => {
    e.preventDefault();
    void connect(s, el.discovery.value.trim(), el.fhirUrl.value.trim());
  });
  byId("default-setup").addEventListener("click", () => {
    el.discovery.value = defaultDiscovery();
    el.fhirUrl.value = sandboxBrowserFhir(s);
    void connect(s, el.discovery.value, el.fhirUrl.value);
  });
  el.select.addEventListener("change", () => selectPatient(s, el.select.value));
  el.provider.addEventListener("change", () => (s.userId = el.provider.value));
  byId("fire-patient-view").addEventListener("click", () => void fire(s, "patient-view"));
  byId("fire-order-select").addEventListener("click", () => void fire(s, "order-select"));
  byId("fire-order-sign").addEventListener("click", () => void fire(s, "order-sign"));
  byId("launch-smart").addEventListener("click", () => {
    if (s.patient) window.open(launchUrl(s), "_blank", "noopener");
  });
  el.reset.addEventListener("click", () => {
    el.reset.disabled = true;
    void resetDemoData(s.writeToken)
      .then((r) => {
        selectPatient(s, s.patient?.id ?? "");
        log(`demo data reloaded (${r.reloaded} patients); feedback and suppressions cleared`);
      })
      .catch(showError)
      .finally(() => (el.reset.disabled = false));
  });
  await connect(s, s.discoveryUrl, s.fhirUrl);
  document.body.dataset["ready"] = "true";
}

void start().catch(showError);
