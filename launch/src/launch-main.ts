/**
 * launch.html: reads the launch parameters, loads config.json (client id, PKCE mode) and hands
 * over to fhirclient's authorize(), which redirects to the authorization server (or straight to
 * index.html for an open server). Anything that goes wrong is shown, never a blank page.
 */
import FHIR from "fhirclient";
import { loadLaunchConfig } from "./launch-config";
import { describeError } from "./describe-error";
import { showError } from "./error-view";
import { authorizeOptions } from "./launch-options";

async function launch(): Promise<void> {
  const params = new URLSearchParams(window.location.search);
  const config = await loadLaunchConfig();
  const options = authorizeOptions(params, config);
  const status = document.getElementById("status");
  if (status) status.textContent = `Connecting to ${options.iss ?? options.fhirServiceUrl ?? "the EHR"}…`;
  await FHIR.oauth2.authorize(options);
}

launch().catch((e: unknown) => {
  document.getElementById("status")?.remove();
  const params = new URLSearchParams(window.location.search);
  showError(describeError(e, params.get("iss") ?? params.get("fhirServiceUrl") ?? undefined));
});
