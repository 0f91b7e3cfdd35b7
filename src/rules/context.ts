/** Everything both patterns derive from the facts, computed once per evaluation. */
import type { ClinicalConfig } from "../config/clinical-config";
import type { Facts, RelatedMedication } from "../fhir/facts";
import { CALCIUM_KINDS, selectCalciumStatus, type CalciumStatus } from "./calcium-status";
import { isBelow } from "./interval";
import { currentOnly, datedLabs, labCallsNormal, newestCurrent, type DatedLab, type LabCallsNormal } from "./labs";
import { digoxin, doseLimits, renalStatus, type DoseLimits, type RenalStatus } from "./modifiers";
import { buildRegimen, type RegimenBase } from "./regimen";
import { documentedDeficiency, latestCurrentVitd, vitdDayStatuses, type VitdStatus } from "./vitd-status";

export interface RuleContext {
  facts: Facts;
  config: ClinicalConfig;
  nowMs: number;
  limits: DoseLimits;
  regimen: RegimenBase;
  vitdStatuses: VitdStatus[];
  vitd?: VitdStatus;
  deficiency?: VitdStatus;
  calciumLabs: DatedLab[];
  albuminLabs: DatedLab[];
  calcium?: CalciumStatus;
  albuminLow: boolean;
  magnesium?: DatedLab;
  /** The lab calls the latest current Mg normal (its range or N flag); only with `labs.respectLabReferenceRange` (§10). */
  magnesiumLabNormal?: LabCallsNormal;
  /** The lab calls the calcium status value normal (its range; for a computed corrected Ca the total's range); same key. */
  calciumLabNormal?: LabCallsNormal;
  renal: RenalStatus;
  digoxin?: RelatedMedication;
  /** Ergocalciferol taken now, ordered or recently stopped (a D3-only result then misses the D2 fraction). */
  takingErgocalciferol: boolean;
}

export function buildContext(facts: Facts, config: ClinicalConfig, nowMs: number): RuleContext {
  const w = config.windows;
  const regimen = buildRegimen(facts.vitaminD, config, nowMs);
  const vitdStatuses = vitdDayStatuses(facts);
  const calciumLabs = datedLabs(facts, CALCIUM_KINDS);
  const albuminLabs = datedLabs(facts, ["albumin"]);
  const calcium = selectCalciumStatus(currentOnly(calciumLabs, nowMs, w.labCurrentDays), albuminLabs, config);
  const albumin = newestCurrent(albuminLabs, nowMs, w.labCurrentDays);
  const vitd = latestCurrentVitd(vitdStatuses, nowMs, w.vitaminDCurrentDays);
  const deficiency = documentedDeficiency(vitdStatuses, nowMs, w.deficiencyLookbackDays, config.vitaminD.deficientBelowNgMl);
  const magnesium = newestCurrent(datedLabs(facts, ["magnesium"]), nowMs, w.labCurrentDays);
  const dig = digoxin(facts);
  const respectRange = config.labs.respectLabReferenceRange;
  const magnesiumLabNormal = respectRange && magnesium ? labCallsNormal(magnesium.iv, magnesium.lab) : undefined;
  const calciumLabNormal = respectRange && calcium ? calciumCalledNormal(calcium) : undefined;
  const ergo = [...regimen.current.map((it) => it.p), ...regimen.recentlyStopped.map((s) => s.p)].some(
    (p) => p.ingredient === "ergocalciferol",
  );
  return {
    facts,
    config,
    nowMs,
    limits: doseLimits(facts, config, nowMs),
    regimen,
    vitdStatuses,
    ...(vitd ? { vitd } : {}),
    ...(deficiency ? { deficiency } : {}),
    calciumLabs,
    albuminLabs,
    ...(calcium ? { calcium } : {}),
    albuminLow: albumin !== undefined && isBelow(albumin.iv, config.calcium.albuminLowBelowGdl),
    ...(magnesium ? { magnesium } : {}),
    ...(magnesiumLabNormal ? { magnesiumLabNormal } : {}),
    ...(calciumLabNormal ? { calciumLabNormal } : {}),
    renal: renalStatus(facts, config, nowMs),
    ...(dig ? { digoxin: dig } : {}),
    takingErgocalciferol: ergo,
  };
}

/**
 * The lab's verdict on the calcium value the status uses: an ionized, total or lab-corrected result by its own
 * range and flag; a corrected value by the total's numeric range (a corrected Ca is read against the total
 * range), never by the total's flag (that flag judged the uncorrected value).
 */
function calciumCalledNormal(status: CalciumStatus): LabCallsNormal | undefined {
  const { kind, decider, total, iv } = status;
  const rangeOnly = (d: DatedLab) => {
    const { interpretation: _flag, ...lab } = d.lab;
    return labCallsNormal(iv, lab);
  };
  if (kind === "corrected-computed") return total ? rangeOnly(total) : undefined;
  const own =
    decider.lab.referenceRange?.low !== undefined ||
    decider.lab.referenceRange?.high !== undefined ||
    decider.lab.interpretation !== undefined;
  if (kind === "corrected-lab" && !own) return total ? rangeOnly(total) : undefined;
  return labCallsNormal(iv, decider.lab);
}
