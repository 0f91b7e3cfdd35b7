/**
 * The EHR simulator page: pick a demo patient, fire patient-view or order-sign (with the patient's
 * draft vitamin D order), show the cards, apply suggestions (drafts of the order being signed are
 * edited locally like an order basket; other actions go to the FHIR server), send feedback, and
 * launch the SMART app in open-server mode.
 */
import { byId, h } from "../../../launch/src/dom";
import type { Action, Card, Coding, Suggestion } from "../../../src/render/card-schema";
import { applyOnServer, callHook, getConfig, getDraftOrders, getPatients, getWriteToken, resetDemoData, sendFeedback, type FhirResourceLike, type HookName, type PatientEntry, type SandboxConfig } from "./api";
import { renderCards } from "./cards-view";

interface State {
  config: SandboxConfig;
  patients: PatientEntry[];
  /** Credential for writes to the in-process /fhir (undefined with an external FHIR server). */
  writeToken: string | undefined;
  patient?: PatientEntry | undefined;
  /** The order basket of the current order-sign: draft MedicationRequests, editable by suggestions. */
  drafts: FhirResourceLike[];
  lastHook: HookName;
}

const el = {
  select: byId<HTMLSelectElement>("patient-select"),
  story: byId("patient-story"),
  expected: byId("patient-expected"),
  draft: byId("draft-order"),
  cards: byId("cards"),
  alert: byId("alert"),
  log: byId("log"),
  fhirBase: byId("fhir-base"),
  reset: byId<HTMLButtonElement>("reset-data"),
};

const browserFhir = (s: State) => s.config.browserFhirServer ?? `${location.origin}/fhir`;
const hookFhir = (s: State) => s.config.hookFhirServer ?? `${location.origin}/fhir`;

function log(message: string): void {
  el.log.prepend(h("li", {}, `${new Date().toLocaleTimeString()} — ${message}`));
}

function showError(err: unknown): void {
  el.alert.hidden = false;
  el.alert.textContent = err instanceof Error ? err.message : String(err);
}

function describeDraft(r: FhirResourceLike): string {
  const med = (r["medicationCodeableConcept"] as { text?: string } | undefined)?.text ?? "medication";
  const dosage = (r["dosageInstruction"] as { text?: string }[] | undefined)?.[0]?.text ?? "";
  return `${med} — ${dosage}`;
}

function renderDrafts(s: State): void {
  el.draft.hidden = s.drafts.length === 0;
  el.draft.replaceChildren(h("strong", {}, "Order basket (draft, not signed): "), ...s.drafts.map((d) => h("div", { "data-draft": d.id }, describeDraft(d))));
}

function selectPatient(s: State, id: string): void {
  s.patient = s.patients.find((p) => p.id === id);
  s.drafts = [];
  renderDrafts(s);
  el.cards.replaceChildren();
  el.alert.hidden = true;
  if (!s.patient) return;
  const entries = Object.entries(s.patient.expected);
  el.expected.textContent = entries.length === 0 ? "none" : entries.map(([topic, ind]) => `${topic} ${ind}`).join(", ");
  el.story.textContent = `${s.patient.why} (intended hook: ${s.patient.hook})`;
}

/** A draft-basket action: returns true when it was applied locally. */
function applyToBasket(s: State, action: Action): boolean {
  const resource = action.resource as FhirResourceLike | undefined;
  const ref = action.resourceId ?? (resource?.id ? `${resource.resourceType}/${resource.id}` : "");
  const index = s.drafts.findIndex((d) => `${d.resourceType}/${d.id ?? ""}` === ref);
  if (s.lastHook !== "order-sign") return false;
  if (action.type === "delete" && index >= 0) s.drafts.splice(index, 1);
  else if (action.type === "update" && index >= 0 && resource) s.drafts[index] = resource;
  else if (action.type === "create" && resource?.resourceType === "MedicationRequest" && resource["status"] === "draft") s.drafts.push(resource);
  else return false;
  renderDrafts(s);
  return true;
}

async function accept(s: State, card: Card, suggestion: Suggestion): Promise<void> {
  try {
    for (const action of suggestion.actions ?? []) {
      log(applyToBasket(s, action) ? `${action.type} in the order basket: ${action.description}` : await applyOnServer(browserFhir(s), action, s.writeToken));
    }
    if (card.uuid && suggestion.uuid) {
      await sendFeedback(s.lastHook, { card: card.uuid, outcome: "accepted", acceptedSuggestions: [{ id: suggestion.uuid }], outcomeTimestamp: new Date().toISOString() });
      log(`feedback sent: accepted "${suggestion.label}"`);
    }
  } catch (err) {
    showError(err);
  }
}

async function override(s: State, card: Card, reason: Coding | undefined, comment: string): Promise<void> {
  try {
    if (!card.uuid) throw new Error("this card has no uuid: no feedback possible");
    const overrideReason = { ...(reason ? { reason } : {}), ...(comment ? { userComment: comment } : {}) };
    await sendFeedback(s.lastHook, { card: card.uuid, outcome: "overridden", ...(reason || comment ? { overrideReason } : {}), outcomeTimestamp: new Date().toISOString() });
    log(`feedback sent: overridden${reason ? ` (${reason.display ?? reason.code})` : ""}`);
  } catch (err) {
    showError(err);
  }
}

function smartUrl(s: State, base = "/smart/launch.html"): string {
  const url = new URL(base, location.origin);
  url.search = new URLSearchParams({ fhirServiceUrl: browserFhir(s), patientId: s.patient?.id ?? "" }).toString();
  return url.toString();
}

async function fire(s: State, hook: HookName): Promise<void> {
  const patient = s.patient;
  if (!patient) return;
  el.alert.hidden = true;
  try {
    if (hook === "order-sign" && s.drafts.length === 0) {
      const bundle = await getDraftOrders(patient.id);
      s.drafts = (bundle?.entry ?? []).flatMap((e) => (e.resource ? [e.resource] : []));
      if (s.drafts.length === 0) throw new Error(`${patient.name} has no draft vitamin D order in the sandbox: try patient-view`);
      renderDrafts(s);
    }
    const context: Record<string, unknown> = { userId: s.config.userId, patientId: patient.id };
    if (hook === "order-sign") context["draftOrders"] = { resourceType: "Bundle", type: "collection", entry: s.drafts.map((resource) => ({ resource })) };
    s.lastHook = hook;
    const cards = await callHook(hook, { hook, hookInstance: crypto.randomUUID(), fhirServer: hookFhir(s), context });
    renderCards(el.cards, cards, { accept: (c, sg) => accept(s, c, sg), override: (c, r, m) => override(s, c, r, m), smartLaunchUrl: (u) => smartUrl(s, u) });
    log(`${hook} for ${patient.name}: ${cards.length === 0 ? "no cards" : cards.map((c) => `${c.source.topic?.code ?? "?"} ${c.indicator}`).join(", ")}`);
  } catch (err) {
    showError(err);
  }
}

async function start(): Promise<void> {
  const [config, patients, writeToken] = await Promise.all([getConfig(), getPatients(), getWriteToken()]);
  const s: State = { config, patients, writeToken, drafts: [], lastHook: "patient-view" };
  el.fhirBase.textContent = browserFhir(s);
  el.select.replaceChildren(...patients.map((p) => h("option", { value: p.id }, `${p.name} (${p.id})${p.hook === "order-sign" ? " — order" : ""}`)));
  el.select.addEventListener("change", () => selectPatient(s, el.select.value));
  selectPatient(s, patients[0]?.id ?? "");
  byId("fire-patient-view").addEventListener("click", () => void fire(s, "patient-view"));
  byId("fire-order-sign").addEventListener("click", () => void fire(s, "order-sign"));
  byId("launch-smart").addEventListener("click", () => window.open(smartUrl(s), "_blank", "noopener"));
  el.reset.hidden = !config.canReset;
  el.reset.addEventListener("click", () => {
    void resetDemoData(s.writeToken).then((r) => log(r.ok ? "demo data reloaded" : `reload failed: HTTP ${r.status}`));
  });
  document.body.dataset["ready"] = "true";
}

void start().catch(showError);
