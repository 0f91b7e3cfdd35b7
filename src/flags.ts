/**
 * The flags of a command line after its subcommand: `--name value` pairs (each name at most once), switches
 * without a value (`--json`), and `--help` / `-h` anywhere. Errors are sentences for the usage line.
 * Shared by `vitd-cds evaluate` (cli/args.ts) and `vitd-cds screen` (screen/args.ts).
 */
export interface Flags {
  values: Map<string, string>;
  switches: Set<string>;
  help: boolean;
}

export function readFlags(
  args: readonly string[],
  valueFlags: ReadonlySet<string>,
  switchFlags: ReadonlySet<string> = new Set(),
): Flags | { error: string } {
  const values = new Map<string, string>();
  const switches = new Set<string>();
  for (let i = 0; i < args.length; i += 1) {
    const flag = args[i] ?? "";
    if (flag === "--help" || flag === "-h") return { values, switches, help: true };
    if (switchFlags.has(flag)) {
      switches.add(flag);
      continue;
    }
    if (!valueFlags.has(flag)) return { error: `unknown option "${flag}"` };
    const value = args[i + 1];
    if (value === undefined || value.startsWith("--")) return { error: `${flag} needs a value` };
    if (values.has(flag)) return { error: `${flag} given twice` };
    values.set(flag, value);
    i += 1;
  }
  return { values, switches, help: false };
}
