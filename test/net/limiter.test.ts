import { Limiter } from "../../src/net/limiter";

const deferred = () => {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
};

describe("Limiter", () => {
  it("runs at most `max` tasks at once and starts the waiting ones in arrival order", async () => {
    const limiter = new Limiter(2);
    const gates = [deferred(), deferred(), deferred(), deferred()];
    const started: number[] = [];
    const signal = new AbortController().signal;
    const runs = gates.map((g, i) => limiter.run(signal, async () => (started.push(i), g.promise)));
    await Promise.resolve();
    expect(started).toEqual([0, 1]);
    expect([limiter.active, limiter.waiting]).toEqual([2, 2]);
    gates[1]!.resolve();
    await runs[1];
    await Promise.resolve();
    expect(started).toEqual([0, 1, 2]);
    gates.forEach((g) => g.resolve());
    await Promise.all(runs);
    expect([limiter.active, limiter.waiting]).toEqual([0, 0]);
  });

  it("a waiting task whose deadline passes leaves the queue and rejects with the signal's reason", async () => {
    const limiter = new Limiter(1);
    const gate = deferred();
    const first = limiter.run(new AbortController().signal, () => gate.promise);
    const deadline = new AbortController();
    let ran = false;
    const second = limiter.run(deadline.signal, () => Promise.resolve(void (ran = true)));
    expect(limiter.waiting).toBe(1);
    deadline.abort(new Error("deadline"));
    await expect(second).rejects.toThrow("deadline");
    expect(limiter.waiting).toBe(0);
    gate.resolve();
    await first;
    expect(ran).toBe(false);
    expect(limiter.active).toBe(0);
  });

  it("a task that throws frees its slot", async () => {
    const limiter = new Limiter(1);
    const signal = new AbortController().signal;
    await expect(limiter.run(signal, () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    await expect(limiter.run(signal, () => Promise.resolve(7))).resolves.toBe(7);
  });
});
