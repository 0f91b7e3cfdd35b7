/** `--name=value` command-line flags of the bench scripts, by name (a bare `--name` maps to undefined). */
export function flagArgs(argv: readonly string[] = process.argv.slice(2)): Map<string, string | undefined> {
  return new Map(argv.map((a) => a.replace(/^--/, "").split("=") as [string, string | undefined]));
}
