/**
 * The part of an unknown-model 404 that says where the model does live: `gpt-5.5` asked of `/go` is served by
 * Zen, and the message names Zen and the route or prefix that reaches it.
 */
import type { Service } from "./types.ts";

const serviceName: Record<Service, string> = { go: "OpenCode Go", zen: "OpenCode Zen" };

/**
 * `route` is the request's route prefix (undefined: the default route); `searched` the services looked at;
 * `serves(service)` whether a service has the id. Returns "" when no other service has it.
 */
export function otherServiceHint(
  id: string,
  route: Service | undefined,
  searched: readonly Service[],
  serves: (service: Service) => boolean,
): string {
  const other = (["go", "zen"] as const).find((service) => !searched.includes(service) && serves(service));
  if (!other) return "";
  const name = serviceName[other];
  if (route === undefined) {
    // Only Zen can be missing from the default route's search: the fallback is turned off.
    return `. ${name} serves ${id}, but the Zen fallback is off (ZEN_FALLBACK=0): name it opencode/${id} ` +
      `or use the /zen route (base URL …/zen)`;
  }
  return other === "zen"
    ? `. ${name} serves ${id}: use the /zen route (base URL …/zen) or the default route instead of /go`
    : `. ${name} serves ${id}: use the /go route (base URL …/go) or the default route instead of /zen`;
}
