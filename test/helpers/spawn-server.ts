/**
 * Starts the real server (src/server.ts via tsx) as a child process on a free port and resolves
 * once it logs "vitd-cds listening" — event-driven, no sleeping.
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";

export interface RunningServer {
  child: ChildProcess;
  baseUrl: string;
  output: () => string;
  exited: Promise<number | null>;
}

const ROOT = path.resolve(__dirname, "../..");

export function spawnServer(env: Record<string, string>, timeoutMs = 20_000): Promise<RunningServer> {
  const child = spawn(process.execPath, [path.join(ROOT, "node_modules/tsx/dist/cli.mjs"), path.join(ROOT, "src/server.ts")], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", PORT: "0", LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`server did not start in ${timeoutMs} ms:\n${out}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split("\n").find((l) => l.includes('"vitd-cds listening"'));
      if (line) {
        clearTimeout(timer);
        const port = (JSON.parse(line) as { port: number }).port;
        resolve({ child, baseUrl: `http://127.0.0.1:${port}`, output: () => out, exited });
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${String(code)} before listening:\n${out}`));
    });
  });
}
