/**
 * Request bounds: a client that sends headers and part of a body, then stalls, gets its 401 and the
 * connection is closed by the server (the rest of the body is not waited for); a 5 MB feedback post
 * is refused (413) and nothing of it is stored.
 */
import type { AddressInfo } from "node:net";
import net from "node:net";
import type { Server } from "node:http";
import request from "supertest";
import { SqliteFeedbackStore } from "../../src/feedback/sqlite-store";
import { FEEDBACK_LIMITS } from "../../src/feedback/feedback-schema";
import { buildTestApp } from "../helpers/test-app";

const ISSUERS = { "https://ehr.example.org/": ["https://ehr.example.org/jwks.json"] };

async function listen(app: ReturnType<typeof buildTestApp>): Promise<{ server: Server; port: number }> {
  const server = app.listen(0, "127.0.0.1");
  await new Promise<void>((r) => server.once("listening", () => r()));
  return { server, port: (server.address() as AddressInfo).port };
}

/** Sends the headers and `partial` bytes of a declared `declared`-byte body; resolves with what came back once the server closes. */
function partialUpload(port: number, path: string, declared: number, partial: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1");
    let received = "";
    socket.on("data", (c: Buffer) => (received += c.toString("latin1")));
    socket.on("error", reject);
    socket.on("close", () => resolve(received)); // only the server can close it: the client never ends its side
    socket.write(
      `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${declared}\r\nConnection: keep-alive\r\n\r\n`,
    );
    socket.write("{".padEnd(partial, " "));
  });
}

describe("a stalled partial body", () => {
  it.each(["/cds-services/vitd-patient-view", "/cds-services/vitd-patient-view/feedback"])(
    "401 on %s (no token) closes the connection instead of waiting for the rest",
    async (path) => {
      const { server, port } = await listen(buildTestApp({ config: { trustedIssuers: ISSUERS, publicUrl: "https://cds.example.org" } }));
      try {
        const response = await partialUpload(port, path, 1_000_000, 1_000);
        expect(response).toMatch(/^HTTP\/1\.1 401 /);
        expect(response.toLowerCase()).toContain("connection: close");
      } finally {
        server.close();
      }
    },
  );

  it("413 for a declared body over the limit closes the connection too", async () => {
    const { server, port } = await listen(buildTestApp({ config: { bodyLimit: "10kb" } }));
    try {
      const response = await partialUpload(port, "/cds-services/vitd-patient-view", 1_000_000, 100);
      expect(response).toMatch(/^HTTP\/1\.1 413 /);
    } finally {
      server.close();
    }
  });
});

describe("feedback size", () => {
  const at = "2026-06-01T11:00:00Z";
  const item = (i: number) => ({
    card: `card-${i}`,
    outcome: "overridden",
    overrideReason: { userComment: "x".repeat(1_000) },
    outcomeTimestamp: at,
  });

  it("a 4.9 MB feedback post (490 items with 10,000-character comments, under the hook body limit) → 413, nothing stored", async () => {
    const store = new SqliteFeedbackStore(":memory:");
    const app = buildTestApp({ feedbackStore: store });
    const body = { feedback: Array.from({ length: 490 }, (_, i) => ({ ...item(i), overrideReason: { userComment: "x".repeat(10_000) } })) };
    expect(JSON.stringify(body).length).toBeGreaterThan(4_900_000);
    expect(JSON.stringify(body).length).toBeLessThan(5 * 1024 * 1024);
    const res = await request(app).post("/cds-services/vitd-patient-view/feedback").send(body);
    expect(res.status).toBe(413);
    expect(await store.listFeedback()).toEqual([]);
  });

  it(`more than ${FEEDBACK_LIMITS.items} items or a comment over ${FEEDBACK_LIMITS.userComment} characters → 400 naming the field, nothing stored`, async () => {
    const store = new SqliteFeedbackStore(":memory:");
    const app = buildTestApp({ feedbackStore: store });
    const many = await request(app)
      .post("/cds-services/vitd-patient-view/feedback")
      .send({
        feedback: Array.from({ length: FEEDBACK_LIMITS.items + 1 }, (_, i) => ({ ...item(i), overrideReason: { userComment: "ok" } })),
      });
    expect([many.status, many.body.field]).toEqual([400, "feedback"]);
    const long = await request(app)
      .post("/cds-services/vitd-patient-view/feedback")
      .send({ feedback: [{ ...item(1), overrideReason: { userComment: "x".repeat(FEEDBACK_LIMITS.userComment + 1) } }] });
    expect(long.status).toBe(400);
    expect(long.body.field).toMatch(/^feedback\[0\]\.overrideReason/);
    expect(await store.listFeedback()).toEqual([]);
  });
});
