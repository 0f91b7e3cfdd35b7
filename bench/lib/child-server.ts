/**
 * Starts a benchmark server (bench/servers/*.ts) in its own Node process, so the load generator
 * in this process does not share its event loop. It runs the JavaScript compiled by ./compile.ts.
 */
import { spawn, type ChildProcess } from "node:child_process";
import type { ChildMessage, ParentMessage, ProcessStats } from "../servers/child-ipc";
import { compiledPath } from "./compile";
import { projectRoot } from "./paths";

export type { ProcessStats };

export interface ChildServer {
  url: string;
  pid: number;
  /** Memory and CPU time of the child (after a full GC when asked and the child has --expose-gc). */
  stats(gc?: boolean): Promise<ProcessStats>;
  /** Writes a V8 heap snapshot of the child to `path` (a full GC happens first). */
  heapSnapshot(path: string): Promise<string>;
  stop(): Promise<void>;
}

export interface ChildServerOptions {
  env?: Record<string, string>;
  /** Extra node flags, e.g. ["--expose-gc"] or ["--cpu-prof", "--cpu-prof-dir=…"]. */
  nodeFlags?: string[];
  readyTimeoutMs?: number;
  /** Run the script as compiled into this directory (compileTree) instead of this process's build of the working tree. */
  buildDir?: string;
}

function waitFor<T extends ChildMessage["type"]>(child: ChildProcess, type: T, timeoutMs: number, stderr: () => string) {
  return new Promise<Extract<ChildMessage, { type: T }>>((resolvePromise, reject) => {
    const timer = setTimeout(
      () => finish(new Error(`child ${child.pid ?? "?"} sent no "${type}" within ${timeoutMs} ms\n${stderr()}`)),
      timeoutMs,
    );
    const onMessage = (msg: ChildMessage) => {
      if (msg.type === type) finish(undefined, msg as Extract<ChildMessage, { type: T }>);
    };
    const onExit = (code: number | null) => finish(new Error(`child exited (code ${String(code)}) before "${type}"\n${stderr()}`));
    function finish(err?: Error, msg?: Extract<ChildMessage, { type: T }>) {
      clearTimeout(timer);
      child.off("message", onMessage);
      child.off("exit", onExit);
      if (err) reject(err);
      else resolvePromise(msg!);
    }
    child.on("message", onMessage);
    child.on("exit", onExit);
  });
}

/** `script` relative to the project root, e.g. "bench/servers/app-server.ts". */
export async function startChildServer(script: string, options: ChildServerOptions = {}): Promise<ChildServer> {
  const child = spawn(process.execPath, [...(options.nodeFlags ?? []), compiledPath(script, options.buildDir)], {
    cwd: projectRoot,
    env: { ...process.env, NODE_ENV: "production", CDS_ALLOW_NO_AUTH: "true", ...options.env },
    stdio: ["ignore", "ignore", "pipe", "ipc"],
  });
  let stderrText = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderrText = (stderrText + chunk.toString()).slice(-4000);
  });
  const stderr = () => stderrText;
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  let ready;
  try {
    ready = await waitFor(child, "ready", options.readyTimeoutMs ?? 60_000, stderr);
  } catch (e) {
    child.kill("SIGKILL");
    throw e;
  }
  const send = (msg: ParentMessage) => child.send(msg);
  return {
    url: `http://127.0.0.1:${ready.port}`,
    pid: child.pid ?? -1,
    async stats(gc = false) {
      const reply = waitFor(child, "stats", 10_000, stderr);
      send({ type: "stats", gc });
      return reply;
    },
    async heapSnapshot(path: string) {
      const reply = waitFor(child, "snapshot", 120_000, stderr);
      send({ type: "snapshot", path });
      return (await reply).path;
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      send({ type: "stop" });
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
