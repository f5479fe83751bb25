/** How the gateway introduces itself to every upstream, whatever the wire format. */

/** Sent as `user-agent` on every upstream request. */
export const USER_AGENT = "opencode-bridge/0.1.0";

/** Sent as `x-opencode-client`: tells OpenCode which client is calling. */
export const OPENCODE_CLIENT = "opencode-bridge";
