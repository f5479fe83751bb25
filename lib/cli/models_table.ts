/** `opencode-bridge models`: the catalog as rows (for `--json`) and as a terminal table. */
import type { CatalogData, CatalogEntry } from "../catalog/schema.ts";
import { endpointByFamily } from "../catalog/endpoint_path.ts";
import { catalogEntryFacts } from "../catalog/entry_facts.ts";
import type { Family, Service } from "../catalog/types.ts";
import { describeAge } from "../doctor/describe_age.ts";
import { compactTokens, formatTable } from "./format_table.ts";

export interface ModelRow {
  id: string;
  name: string;
  /** `go`, `zen`, or a configured provider's name. */
  service: string;
  family: Family;
  endpoint: string;
  context: number;
  output: number;
  images: boolean;
  pdf: boolean;
  reasoning: boolean;
  /** USD per million tokens; null when the catalog has no price. */
  price: { input: number; output: number; cacheRead: number | null } | null;
  status: string | null;
}

export function modelRows(data: CatalogData, service?: Service): ModelRow[] {
  const services: Service[] = service ? [service] : ["go", "zen"];
  return services.flatMap((name) => data.services[name].map((entry) => toRow(name, entry)));
}

function toRow(service: Service, entry: CatalogEntry): ModelRow {
  return {
    id: entry.id,
    name: entry.name,
    service,
    ...catalogEntryFacts(entry),
    endpoint: endpointByFamily[entry.family],
    status: entry.status,
  };
}

const mark = (value: boolean) => value ? "✓" : "–";
const dollars = (value: number) => `$${Number(value.toFixed(3))}`;

export function renderModelsTable(rows: ModelRow[]): string {
  return formatTable(rows, [
    { header: "MODEL", value: (row) => row.id + (row.status ? ` (${row.status})` : "") },
    { header: "SERVICE", value: (row) => row.service },
    { header: "FAMILY (ENDPOINT)", value: (row) => `${row.family} (${row.endpoint})` },
    { header: "CONTEXT", value: (row) => compactTokens(row.context), align: "right" },
    { header: "OUTPUT", value: (row) => compactTokens(row.output), align: "right" },
    { header: "IMAGES", value: (row) => mark(row.images) },
    { header: "PDF", value: (row) => mark(row.pdf) },
    { header: "REASONING", value: (row) => mark(row.reasoning) },
    {
      header: "$/MTOK IN/OUT",
      value: (row) => row.price ? `${dollars(row.price.input)} / ${dollars(row.price.output)}` : "?",
      align: "right",
    },
  ]);
}

/** One line on where the catalog came from and how old it is. */
export function describeCatalogSource(data: CatalogData, nowMs: number): string {
  const source = data.source === "models.dev"
    ? `models.dev, fetched ${describeAge(data.fetchedAt, nowMs)} ago`
    : "the bundled snapshot (models.dev was not reachable)";
  const live = (["go", "zen"] as const)
    .map((service) =>
      `${service === "go" ? "Go" : "Zen"} ${data.live[service] ? "live list merged" : "no live list"}`
    )
    .join(", ");
  return `Catalog: ${source}; ${live}.`;
}
