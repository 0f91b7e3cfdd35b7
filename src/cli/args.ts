/**
 * Command-line arguments of `vitd-cds evaluate` (src/cli/README.md), parsed without side effects.
 *   vitd-cds evaluate --fhir <base> --patient <id> [--hook patient-view|order-select|order-sign]
 *                     [--draft <file.json | inline JSON>] [--token <bearer>] [--json] [--user <Practitioner/id>]
 */
import { readFlags } from "../flags";

export type CliHook = "patient-view" | "order-select" | "order-sign";

export interface EvaluateArgs {
  command: "evaluate";
  fhir: string;
  patient: string;
  hook: CliHook;
  token?: string;
  json: boolean;
  /** order-select / order-sign: the draft order(s) — a path to a JSON file or the JSON itself (a MedicationRequest or a Bundle). */
  draft?: string;
  user: string;
}

export type ParsedArgs = EvaluateArgs | { command: "help" } | { error: string };

export const USAGE = `usage: vitd-cds evaluate --fhir <FHIR base URL> --patient <id>
                         [--hook patient-view|order-select|order-sign] [--draft <file.json | JSON>]
                         [--token <bearer token>] [--json] [--user <Practitioner/id>]

Runs the vitd-cds hook pipeline against any FHIR R4 server (no prefetch: everything is fetched)
and prints the cards for a terminal; --json prints exactly the hook response {"cards": [...]}.
  --hook      patient-view (default); order-select and order-sign check the draft orders of --draft
  --draft     the draft vitamin D order(s): a file, or inline JSON starting with "{" — one
              MedicationRequest or a Bundle of them (order-select selects every draft given)
  --token     Bearer token for the FHIR server;  --user  context.userId (default Practitioner/vitd-cds-cli)
Colour: on a terminal only; NO_COLOR=1 turns it off.
Exit codes: 0 done (with or without cards), 2 bad arguments, 1 the FHIR server could not be read.`;

const VALUE_FLAGS = new Set(["--fhir", "--patient", "--hook", "--token", "--draft", "--user"]);
const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;
const HOOKS: readonly CliHook[] = ["patient-view", "order-select", "order-sign"];

export function parseArgs(argv: readonly string[]): ParsedArgs {
  const [command, ...rest] = argv;
  if (command === undefined) return { error: "no command given" };
  if (command === "--help" || command === "-h" || command === "help") return { command: "help" };
  if (command !== "evaluate") return { error: `unknown command "${command}" (expected "evaluate")` };
  const flags = readFlags(rest, VALUE_FLAGS, new Set(["--json"]));
  if ("error" in flags) return flags;
  if (flags.help) return { command: "help" };
  const { values } = flags;
  const json = flags.switches.has("--json");
  const fhir = values.get("--fhir");
  const patient = values.get("--patient");
  if (!fhir) return { error: "--fhir <FHIR base URL> is required" };
  if (!/^https?:\/\/[^/\s]+/.test(fhir)) return { error: `--fhir must be an http(s) URL, got "${fhir}"` };
  if (!patient) return { error: "--patient <id> is required" };
  if (!FHIR_ID.test(patient)) return { error: `--patient must be a FHIR id ([A-Za-z0-9-.], at most 64 characters), got "${patient}"` };
  const hook = values.get("--hook") ?? "patient-view";
  if (!(HOOKS as readonly string[]).includes(hook)) return { error: `--hook must be one of ${HOOKS.join(", ")}, got "${hook}"` };
  const user = values.get("--user") ?? "Practitioner/vitd-cds-cli";
  if (!/^(Practitioner|PractitionerRole)\/[A-Za-z0-9\-.]{1,64}$/.test(user))
    return { error: `--user must be like Practitioner/123, got "${user}"` };
  const parsed: EvaluateArgs = { command: "evaluate", fhir: fhir.replace(/\/+$/, ""), patient, hook: hook as CliHook, json, user };
  const token = values.get("--token");
  if (token !== undefined) parsed.token = token;
  const draft = values.get("--draft");
  if (hook === "patient-view") {
    if (draft !== undefined)
      return { error: "--draft only applies to --hook order-select or order-sign (patient-view reads the record only)" };
  } else {
    if (draft === undefined)
      return { error: `--hook ${hook} checks draft orders: give them with --draft <file.json | JSON> (one MedicationRequest or a Bundle)` };
    parsed.draft = draft;
  }
  return parsed;
}
