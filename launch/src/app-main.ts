/**
 * index.html: completes the SMART launch (FHIR.oauth2.ready), reads the patient's data with the
 * service's queries, runs the service's engine (src/engine.ts: normalize → rules → cards) in the
 * browser, and shows the findings (highlighting the one named by appContext) and the trends.
 */
import FHIR from "fhirclient";
import { runEngine } from "../../src/engine";
import { loadSmartAppConfig } from "./app-config";
import { highlightedPattern } from "./app-context";
import { describeError, describeOAuthError } from "./describe-error";
import { byId } from "./dom";
import { showError } from "./error-view";
import { renderFindings } from "./findings-view";
import { LaunchError } from "./launch-options";
import { ignoredList, patientBanner } from "./patient-view";
import { readClinicalResources } from "./read-resources";
import { createTrendsView } from "./trends-view";
import type { UnitSystem } from "./units";

const UNITS_KEY = "vitd-cds.units";

/** Storage may be unavailable (sandboxed frames, privacy modes): the choice then lasts for the page only. */
const savedUnits = {
  get(): UnitSystem {
    try {
      return window.localStorage.getItem(UNITS_KEY) === "si" ? "si" : "conventional";
    } catch {
      return "conventional";
    }
  },
  set(units: UnitSystem): void {
    try {
      window.localStorage.setItem(UNITS_KEY, units);
    } catch {
      /* not persisted */
    }
  },
};

function setStatus(text: string): void {
  byId("status").textContent = text;
}

function wireUnits(render: (units: UnitSystem) => void): void {
  const saved = savedUnits.get();
  const inputs = Array.from(document.querySelectorAll<HTMLInputElement>('input[name="units"]'));
  for (const input of inputs) {
    input.checked = input.value === saved;
    input.addEventListener("change", () => {
      if (!input.checked) return;
      const units: UnitSystem = input.value === "si" ? "si" : "conventional";
      savedUnits.set(units);
      render(units);
    });
  }
  render(saved);
}

async function main(): Promise<void> {
  const params = new URLSearchParams(window.location.search);
  const oauthError = params.get("error");
  if (oauthError) {
    byId("status").remove();
    showError(describeOAuthError(oauthError, params.get("error_description")));
    return;
  }
  let serverUrl: string | undefined;
  try {
    const config = await loadSmartAppConfig();
    const client = await FHIR.oauth2.ready();
    serverUrl = client.state.serverUrl;
    const patientId = client.patient.id;
    if (!patientId)
      throw new LaunchError("No patient is in context: launch the app from a patient's chart, or choose a patient when asked.");
    setStatus("Reading the patient's results and medications…");
    const now = new Date();
    const resources = await readClinicalResources(client, patientId, now);
    const result = runEngine(resources, {
      config: config.clinicalConfig,
      now,
      render: { hook: "patient-view", patientId, serviceLabel: config.serviceLabel, draftOrders: [] },
    });

    byId("patient").replaceChildren(patientBanner(result.facts));
    const highlight = highlightedPattern(client.state.tokenResponse);
    const target = renderFindings(byId("findings"), result.cards, highlight);
    const pediatric = result.findings.find((f) => f.flags.pediatric)?.flags.pediatric;
    const trends = createTrendsView(byId("charts"), {
      facts: result.facts,
      config: config.clinicalConfig,
      now,
      ...(pediatric
        ? {
            doseLimits: {
              highDoseAboveIuPerDay: pediatric.highDoseAboveIuPerDay,
              toxicAtLeastIuPerDay: pediatric.toxicIuPerDay,
              label: pediatric.band,
            },
          }
        : {}),
    });
    byId("findings-section").hidden = false;
    byId("trends-section").hidden = false;
    const ignored = ignoredList(result.facts);
    byId("extra").replaceChildren(...(ignored ? [ignored] : []));
    wireUnits(trends.render);
    byId("status").remove();
    document.body.dataset.state = "ready";
    if (target) {
      target.scrollIntoView({ block: "start" });
      target.focus({ preventScroll: true });
    }
  } catch (e) {
    document.getElementById("status")?.remove();
    showError(describeError(e, serverUrl));
  }
}

void main();
