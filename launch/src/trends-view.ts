/** The four charts (25(OH)D, calcium, magnesium, dose) for one unit system; re-rendered on a units switch. */
import type { Chart } from "chart.js";
import type { ClinicalConfig } from "../../src/config/clinical-config";
import type { Facts } from "../../src/fhir/facts";
import { chartSection } from "./chart-section";
import { doseChart, type DoseLimits } from "./dose-chart";
import { calciumChart, magnesiumChart, vitaminDChart } from "./lab-charts";
import type { UnitSystem } from "./units";

export interface TrendsInput {
  facts: Facts;
  config: ClinicalConfig;
  now: Date;
  doseLimits?: DoseLimits;
}

export function createTrendsView(container: HTMLElement, input: TrendsInput): { render: (units: UnitSystem) => void } {
  let charts: Chart[] = [];
  return {
    render(units) {
      for (const chart of charts) chart.destroy();
      const { facts, config, now, doseLimits } = input;
      const models = [
        vitaminDChart(facts.labs, config, units),
        calciumChart(facts, config, units),
        magnesiumChart(facts.labs, config, units),
        doseChart(facts.vitaminD, config, units, now, doseLimits),
      ];
      const built = models.map((m) => chartSection(m, now));
      container.replaceChildren(...built.map((b) => b.section));
      charts = built.flatMap((b) => b.draw() ?? []);
      document.body.dataset.units = units;
    },
  };
}
