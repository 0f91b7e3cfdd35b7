// Minimal typings for @lhncbc/ucum-lhc 7.x (the package ships none): only what src/fhir/units uses.
declare module "@lhncbc/ucum-lhc" {
  export interface ConvertOptions {
    molecularWeight?: number;
    charge?: number;
    suggest?: boolean;
  }
  export interface ConvertResult {
    status: "succeeded" | "failed" | "error";
    toVal: number | null;
    msg: string[];
  }
  export interface UcumUtils {
    convertUnitTo(fromUnitCode: string, fromVal: number, toUnitCode: string, options?: ConvertOptions): ConvertResult;
  }
  export const UcumLhcUtils: { getInstance(): UcumUtils };
}
