/**
 * CDS client JWT verification (CDS Hooks 2.0 "Trusting CDS Clients"): each attack case is rejected
 * with a reason; valid ES384 and RS384 tokens pass. Keys are generated here; the JWKS is served by nock.
 */
import nock from "nock";
import { AuthError } from "../../src/auth/auth-error";
import { JwksCache } from "../../src/auth/jwks-cache";
import { ReplayCache } from "../../src/auth/replay-cache";
import { createJwtVerifier, type JwtVerifier } from "../../src/auth/verify-client-jwt";
import {
  hmacWithPublicKey,
  ISSUER,
  JWKS_ORIGIN,
  JWKS_PATH,
  JWKS_URL,
  jwks,
  makeKey,
  sign,
  swapPayload,
  tamperSignature,
  unsecuredToken,
  type TestKey,
} from "./jwt-fixtures";

const AUD = "https://cds.example.org/cds-services/vitd-patient-view";
const T0 = new Date("2026-06-01T12:00:00Z");
const sec = (d: Date) => Math.floor(d.getTime() / 1000);

let es384: TestKey;
let rs384: TestKey;
let now: Date;
let jwksCache: JwksCache;
let verify: JwtVerifier;

beforeAll(async () => {
  es384 = await makeKey("ES384");
  rs384 = await makeKey("RS384");
  nock.disableNetConnect();
});
afterAll(() => nock.enableNetConnect());

beforeEach(() => {
  nock.cleanAll();
  now = T0;
  jwksCache = new JwksCache({ now: () => now.getTime() });
  verify = createJwtVerifier({
    trustedIssuers: {
      [ISSUER]: [JWKS_URL, `${JWKS_ORIGIN}/second-jwks.json`],
      "https://other-ehr.example.com": ["https://other-ehr.example.com/jwks"],
    },
    jwks: jwksCache,
    replay: new ReplayCache(),
    clock: () => now,
  });
});

const serveJwks = (...keys: TestKey[]) =>
  nock(JWKS_ORIGIN)
    .get(JWKS_PATH)
    .reply(200, jwks(...keys));

async function rejection(token: string, audiences = [AUD]): Promise<string> {
  const error = await verify(token, audiences).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AuthError);
  return (error as AuthError).message;
}

describe("accepted", () => {
  it.each(["ES384", "RS384"])("a valid %s token from a trusted issuer, key found via jku", async (alg) => {
    const key = alg === "ES384" ? es384 : rs384;
    const scope = serveJwks(es384, rs384);
    const client = await verify(await sign(key, now, { aud: AUD, jti: "nonce-1" }), [AUD]);
    expect(client).toMatchObject({ iss: ISSUER, jti: "nonce-1", kid: key.kid, jwksUrl: JWKS_URL });
    expect(scope.isDone()).toBe(true);
  });

  it("without jku: the issuer's first configured JWKS URL is used", async () => {
    serveJwks(es384);
    await expect(verify(await sign(es384, now, { aud: AUD, jku: null }), [AUD])).resolves.toMatchObject({ jwksUrl: JWKS_URL });
  });

  it("aud as an array containing the endpoint; sub, nbf and tenant are optional extras", async () => {
    serveJwks(es384);
    const token = await sign(es384, now, {
      aud: ["https://elsewhere.example", AUD],
      extra: { tenant: "t-1", sub: "client-9", nbf: sec(now) - 5 },
    });
    await expect(verify(token, [AUD])).resolves.toMatchObject({ tenant: "t-1" });
  });

  it("tolerates 60 s of clock skew on exp and iat", async () => {
    serveJwks(es384);
    await expect(verify(await sign(es384, now, { aud: AUD, exp: sec(now) - 30 }), [AUD])).resolves.toBeDefined();
    await expect(verify(await sign(es384, now, { aud: AUD, iat: sec(now) + 30 }), [AUD])).resolves.toBeDefined();
  });

  it("caches the JWKS: two tokens, one download", async () => {
    const scope = nock(JWKS_ORIGIN).get(JWKS_PATH).once().reply(200, jwks(es384));
    await verify(await sign(es384, now, { aud: AUD }), [AUD]);
    await verify(await sign(es384, now, { aud: AUD }), [AUD]);
    expect(scope.isDone()).toBe(true);
    expect(jwksCache.fetchCount).toBe(1);
  });
});

describe("rejected with 401 and a reason", () => {
  it("alg none", async () => {
    expect(await rejection(unsecuredToken(now, AUD))).toMatch(/alg "none" is not accepted/);
  });

  it("HS256 signed with the issuer's public key (key confusion)", async () => {
    serveJwks(rs384);
    expect(await rejection(await hmacWithPublicKey(rs384, now, AUD))).toMatch(/alg "HS256" is not accepted/);
  });

  it("expired (exp more than 60 s ago)", async () => {
    serveJwks(es384);
    expect(await rejection(await sign(es384, now, { aud: AUD, iat: sec(now) - 200, exp: sec(now) - 61 }))).toMatch(/expired/);
  });

  it("iat in the future (beyond the leeway)", async () => {
    serveJwks(es384);
    expect(await rejection(await sign(es384, now, { aud: AUD, iat: sec(now) + 120, exp: sec(now) + 400 }))).toMatch(/iat is in the future/);
  });

  it("iat older than the 300 s maximum age (+ leeway), even if exp is far away", async () => {
    serveJwks(es384);
    expect(await rejection(await sign(es384, now, { aud: AUD, iat: sec(now) - 361, exp: sec(now) + 3600 }))).toMatch(/too old/);
  });

  it("wrong aud (e.g. another service's URL)", async () => {
    serveJwks(es384);
    const token = await sign(es384, now, { aud: "https://cds.example.org/cds-services/vitd-order-sign" });
    expect(await rejection(token)).toBe(`aud must be ${AUD}`);
  });

  it("untrusted iss", async () => {
    expect(await rejection(await sign(es384, now, { aud: AUD, iss: "https://evil.example" }))).toMatch(
      /issuer "https:\/\/evil.example" is not trusted/,
    );
  });

  it("jku not listed for the issuer (no request is made to it)", async () => {
    const token = await sign(es384, now, { aud: AUD, jku: "https://evil.example/jwks.json" });
    expect(await rejection(token)).toMatch(/jku "https:\/\/evil.example\/jwks.json" is not listed/);
    expect(jwksCache.fetchCount).toBe(0);
  });

  it("jku listed for a different trusted issuer", async () => {
    const token = await sign(es384, now, { aud: AUD, jku: "https://other-ehr.example.com/jwks" });
    expect(await rejection(token)).toMatch(/is not listed for issuer/);
  });

  it("replayed jti", async () => {
    serveJwks(es384);
    const token = await sign(es384, now, { aud: AUD, jti: "once-only" });
    await expect(verify(token, [AUD])).resolves.toBeDefined();
    expect(await rejection(token)).toMatch(/replay/);
    // A different token reusing the jti is a replay too.
    expect(await rejection(await sign(es384, now, { aud: AUD, jti: "once-only" }))).toMatch(/replay/);
  });

  it("a rejected token does not burn its jti", async () => {
    serveJwks(es384);
    expect(await rejection(await sign(es384, now, { aud: "https://wrong.example/x", jti: "j-1" }))).toMatch(/aud/);
    await expect(verify(await sign(es384, now, { aud: AUD, jti: "j-1" }), [AUD])).resolves.toBeDefined();
  });

  it("bad signature: flipped signature bytes, or claims swapped under a valid signature", async () => {
    serveJwks(es384);
    const token = await sign(es384, now, { aud: AUD });
    expect(await rejection(tamperSignature(token))).toBe("signature verification failed");
    const forged = swapPayload(token, { iss: ISSUER, aud: AUD, iat: sec(now), exp: sec(now) + 9999, jti: "forged" });
    expect(await rejection(forged)).toBe("signature verification failed");
  });

  it("signed by a key that is not the issuer's (same kid, different key pair)", async () => {
    serveJwks(es384);
    const impostor = await makeKey("ES384", es384.kid);
    expect(await rejection(await sign(impostor, now, { aud: AUD }))).toBe("signature verification failed");
  });

  it("missing kid", async () => {
    expect(await rejection(await sign(es384, now, { aud: AUD, kid: null }))).toBe("kid header is required");
  });

  it("typ other than JWT", async () => {
    expect(await rejection(await sign(es384, now, { aud: AUD, typ: "at+jwt" }))).toMatch(/typ must be "JWT"/);
  });

  it("missing jti", async () => {
    serveJwks(es384);
    const token = await sign(es384, now, { aud: AUD, jti: "" });
    expect(await rejection(token)).toMatch(/jti/);
  });

  it.each([
    ["garbage", "not-a-jwt"],
    ["two parts", "eyJhbGciOiJFUzM4NCJ9.eyJpc3MiOiJ4In0"],
    ["header not JSON", `${Buffer.from("{alg:").toString("base64url")}.e30.sig`],
    ["payload not JSON", `${Buffer.from('{"alg":"ES384","kid":"k"}').toString("base64url")}.bm90IGpzb24.sig`],
  ])("malformed token (%s)", async (_name, token) => {
    expect(await rejection(token)).toMatch(/malformed JWT/);
  });
});

describe("JWKS rotation: unknown kid triggers a rate-limited refetch", () => {
  it("unknown kid → 401 without refetch inside the 30 s cooldown; refetch after it; a rotated-in key is then accepted", async () => {
    const rotated = await makeKey("ES384", "rotated-key");
    const first = serveJwks(es384);
    await verify(await sign(es384, now, { aud: AUD }), [AUD]);
    expect(first.isDone()).toBe(true);

    // Within the cooldown: no download, 401.
    expect(await rejection(await sign(rotated, now, { aud: AUD }))).toMatch(/no key with kid "rotated-key"/);
    expect(jwksCache.fetchCount).toBe(1);

    // After the cooldown the JWKS is refetched; still not there → 401 after refresh.
    now = new Date(T0.getTime() + 31_000);
    const second = serveJwks(es384);
    expect(await rejection(await sign(rotated, now, { aud: AUD }))).toMatch(/no key with kid "rotated-key".*\(refetched\)/);
    expect(second.isDone()).toBe(true);
    expect(jwksCache.fetchCount).toBe(2);

    // The client rotates its key in; after another cooldown the new kid is found.
    now = new Date(T0.getTime() + 62_000);
    const third = serveJwks(es384, rotated);
    await expect(verify(await sign(rotated, now, { aud: AUD }), [AUD])).resolves.toMatchObject({ kid: "rotated-key" });
    expect(third.isDone()).toBe(true);
  });

  it("an unreachable JWKS is a 401, not a 500", async () => {
    nock(JWKS_ORIGIN).get(JWKS_PATH).reply(503, "down");
    expect(await rejection(await sign(es384, now, { aud: AUD }))).toMatch(/JWKS at .* could not be fetched: HTTP 503/);
  });

  it("a JWKS that is not a key set is a 401", async () => {
    nock(JWKS_ORIGIN).get(JWKS_PATH).reply(200, { hello: "world" });
    expect(await rejection(await sign(es384, now, { aud: AUD }))).toMatch(/is not a JSON Web Key Set/);
  });
});

// nock patches node:http for the whole worker process, beyond this file: undo it for the files that run next.
afterAll(() => nock.restore());
