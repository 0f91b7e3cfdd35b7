/** Suggestion intents of the `vitamin-d-toxicity` card, per winning row (docs/clinical-logic.md §3). */
import type { RelatedMedication } from "../fhir/facts";
import type { RuleContext } from "./context";
import { orderLabs } from "./finding-parts";
import { sumIU } from "./regimen";
import type { OrderableLab, SuggestionIntent } from "./types";
import type { ToxicityRule } from "./vitamin-d-toxicity";

interface Options {
  calciumOrder: OrderableLab;
  stoppable: RelatedMedication[];
  bolusProductId: string | undefined;
}

type Plan = { stop?: "current" | "drafts" | "bolus"; reduce?: boolean; labs: (OrderableLab | false)[]; coFactors?: boolean };

export function toxicitySuggestions(ctx: RuleContext, rule: ToxicityRule, o: Options): SuggestionIntent[] {
  const vitd: OrderableLab | false = !ctx.vitd && "vitaminD";
  const ca = o.calciumOrder;
  // Every row is listed (the compiler checks it); null = the card carries no suggestion.
  const plans: Record<ToxicityRule, Plan | null> = {
    // Active vitamin D: reduce or hold (text), never a delete suggestion; Ca, phosphate and PTH, not 25(OH)D.
    "toxicity.ca-high-on-active-vitamin-d": { labs: [ca, "phosphate", "pth", "creatinine"], coFactors: true },
    "toxicity.25ohd-above-toxic-no-product": { labs: [ca, "pth", "creatinine", "phosphate"], coFactors: true },
    "toxicity.implausible-dose-unit": { reduce: true, labs: [!ctx.calcium && ca, vitd] },
    "toxicity.implausible-dose": { reduce: true, labs: [!ctx.calcium && ca, vitd] },
    "toxicity.ca-high-with-high-intake": { stop: "current", labs: [ca, "pth", "creatinine", "phosphate", vitd], coFactors: true },
    "toxicity.ca-high-with-vitamin-d": {
      stop: "current",
      labs: [ca, "pth", "calcitriol", "creatinine", "phosphate", vitd],
      coFactors: true,
    },
    "toxicity.25ohd-above-toxic": { stop: "current", labs: [ca, "pth", "creatinine", "phosphate"], coFactors: true },
    "toxicity.25ohd-high": { stop: "current", labs: [ca, "creatinine", "phosphate"], coFactors: true },
    "toxicity.prolonged-high-dose-unmonitored": { reduce: true, labs: [ca, vitd, "creatinine"] },
    "toxicity.hypercalcemia-unmonitored": { stop: "drafts", labs: [ca, "pth", vitd, "creatinine"], coFactors: true },
    "toxicity.high-dose-ordered": { reduce: true, labs: [!ctx.calcium && ca, vitd] },
    "toxicity.bolus-above-pediatric-max": { stop: "bolus", labs: [] },
    "toxicity.bolus-very-high": { stop: "bolus", labs: [] },
    // Known PHPT on a modest dose: the advice is monitoring, the calcium was just measured.
    "toxicity.ca-high-known-phpt": null,
    // A large (not very large) bolus: the advice is to prefer regular dosing; no order to change.
    "toxicity.bolus-high": null,
  };
  const plan = plans[rule];
  if (!plan) return [];
  const { current, drafts } = ctx.regimen;
  const out: SuggestionIntent[] = [];
  const stopIds =
    plan.stop === "current"
      ? current.map((it) => it.p.id)
      : plan.stop === "drafts"
        ? drafts.map((it) => it.p.id)
        : plan.stop === "bolus" && o.bolusProductId && drafts.some((d) => d.p.id === o.bolusProductId)
          ? [o.bolusProductId]
          : [];
  if (stopIds.length > 0) out.push({ kind: "stop-vitamin-d", productIds: stopIds });
  const reduceIds = plan.reduce
    ? drafts.filter((d) => d.p.productClass === "nutritional" && d.p.bolusIU === undefined && !d.p.doseUnknown).map((d) => d.p.id)
    : [];
  if (reduceIds.length > 0) {
    // The reduced dose brings the TOTAL across products to the limit: the other products count against it.
    const limit = ctx.limits.highDoseAboveIu;
    const othersIU = sumIU(current.filter((it) => !reduceIds.includes(it.p.id)));
    const target = Math.floor((limit - othersIU) / reduceIds.length);
    if (target > 0) out.push({ kind: "reduce-vitamin-d", productIds: reduceIds, targetDailyIU: target });
    else out.push({ kind: "others-exceed-limit", limitIU: limit, othersIU });
  }
  out.push(...orderLabs(ctx, plan.labs));
  if (plan.coFactors && o.stoppable.length > 0)
    out.push({ kind: "stop-co-factor", medications: o.stoppable.map((m) => ({ id: m.id, name: m.name })) });
  return out;
}
