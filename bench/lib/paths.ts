/** The repository root, for spawning processes and writing docs/benchmarks.md. */
import { resolve } from "node:path";

export const projectRoot = resolve(__dirname, "..", "..");
