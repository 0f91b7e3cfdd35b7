/**
 * Albumin-corrected calcium for the chart, for every total calcium that has an albumin close
 * enough — computed by the rules' own selectCalciumStatus (same formula, window and rounding as
 * the cards), one total at a time.
 */
import type { ClinicalConfig } from "../../src/config/clinical-config";
import type { Facts } from "../../src/fhir/facts";
import { selectCalciumStatus } from "../../src/rules/calcium-status";
import { datedLabs } from "../../src/rules/labs";
import type { ChartPoint, SeriesModel } from "./chart-model";
import { displayUnit, toDisplay, type UnitSystem } from "./units";

export function correctedCalciumSeries(facts: Facts, config: ClinicalConfig, units: UnitSystem): SeriesModel {
  const albumins = datedLabs(facts, ["albumin"]);
  const label = "Calcium, corrected (computed)";
  const unit = displayUnit("calcium", units);
  const points = datedLabs(facts, ["calcium-total"])
    .flatMap((total): ChartPoint[] => {
      const status = selectCalciumStatus([total], albumins, config);
      if (status?.kind !== "corrected-computed" || !status.corrected || !status.albumin) return [];
      const albumin = status.albumin.lab;
      return [
        {
          series: label,
          date: total.lab.date,
          x: total.ms,
          value: toDisplay("calcium", units, status.corrected.value),
          unit,
          ...(total.lab.comparator ? { comparator: total.lab.comparator } : {}),
          reported: `Ca ${total.lab.original.value} ${total.lab.original.unit}, albumin ${albumin.original.value} ${albumin.original.unit}`,
          source: `${total.lab.id}+${albumin.id}`,
        },
      ];
    })
    .sort((a, b) => a.x - b.x);
  return { key: "calcium-corrected-computed", label, quantity: "calcium", axis: "y", kind: "line", points };
}
