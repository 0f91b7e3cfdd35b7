/**
 * Registered clients: the only apps that get codes. Redirect and launch URLs are compared as exact
 * strings (no prefix, wildcard or normalisation). Default: the project's SMART app, client id
 * SMART_CLIENT_ID (default "vitd-cds"), served under the same origin as the authorization server.
 */
import type { Request } from "express";
import { SERVICE_NAME } from "../../src/service-name";

export interface SmartClient {
  clientId: string;
  /** Where /authorize may send codes and errors (exact match). */
  redirectUris: string[];
  /** App launch pages GET /launch may redirect to (exact match); none by default. */
  launchUris?: string[];
}

/** The clients registered for a request (the default registration depends on the serving origin). */
export type ClientRegistry = (req: Request) => readonly SmartClient[];

export const originOf = (req: Request): string => `${req.protocol}://${req.get("host") ?? "localhost"}`;

export function clientRegistry(clients: readonly SmartClient[] | undefined, env: NodeJS.ProcessEnv): ClientRegistry {
  if (clients) {
    for (const uri of clients.flatMap((c) => [...c.redirectUris, ...(c.launchUris ?? [])])) {
      if (!/^https?:\/\/[^/]/.test(uri) || !URL.canParse(uri))
        throw new Error(`registered client URL "${uri}" is not an absolute http(s) URL`);
    }
    const fixed = clients.map((c) => ({ ...c, redirectUris: [...c.redirectUris], launchUris: [...(c.launchUris ?? [])] }));
    return () => fixed;
  }
  const clientId = env["SMART_CLIENT_ID"] || SERVICE_NAME;
  return (req) => [{ clientId, redirectUris: [`${originOf(req)}/smart/index.html`], launchUris: [`${originOf(req)}/smart/launch.html`] }];
}

export function findClient(registry: ClientRegistry, req: Request, clientId: string | undefined): SmartClient | undefined {
  return clientId === undefined ? undefined : registry(req).find((c) => c.clientId === clientId);
}

export const isRegisteredRedirect = (client: SmartClient, uri: string | undefined): uri is string =>
  uri !== undefined && client.redirectUris.includes(uri);

export const isRegisteredLaunchPage = (registry: ClientRegistry, req: Request, url: string): boolean =>
  registry(req).some((c) => (c.launchUris ?? []).includes(url));
