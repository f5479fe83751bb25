/** What the resolver hands to every route: where a model lives and what it can do. */
import type { z } from "zod";
import type { familySchema, resolvedModelSchema, serviceSchema } from "./schema.ts";

export type Service = z.infer<typeof serviceSchema>;
/** Wire format an upstream model is served on; also the names of the folders under lib/formats/. */
export type Family = z.infer<typeof familySchema>;

export type ResolvedModel = z.infer<typeof resolvedModelSchema>;

export interface ModelListing {
  id: string;
  displayName: string;
  service: Service;
  family: Family;
  /** Unix seconds. */
  created: number;
}

export interface ResolveOptions {
  /** Route prefix (`/go`, `/zen`); undefined means the default route (Go first). */
  service?: Service;
  /** The name came from the model-in-path form (`/go/<model>/v1/messages`); reported in `matchedBy`. */
  fromPath?: boolean;
}

/** The model catalog: resolution and listing. Implemented in catalog.ts; tests may pass their own. */
export interface Catalog {
  /** Throws GatewayError not_found_error (with close matches) for unknown models. */
  resolve(name: string, options?: ResolveOptions): Promise<ResolvedModel>;
  /** Every model a client may name on this route, including claude-looking aliases. */
  list(options?: ResolveOptions): Promise<ModelListing[]>;
}
