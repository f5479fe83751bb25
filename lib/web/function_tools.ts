/** The plain function tools a model that cannot run Anthropic's web server tools is offered instead. */
import type { HubTool } from "../hub/schema.ts";
import type { WebToolSpecs } from "./web_tool_specs.ts";

const searchTool: HubTool = {
  name: "web_search",
  description: "Search the web for current information. Returns a numbered list of results with title, URL " +
    "and an excerpt of each page. Use it for anything recent or that you are unsure of, then answer from the " +
    "results and cite them by number.",
  input_schema: {
    type: "object",
    properties: { query: { type: "string", description: "The search query" } },
    required: ["query"],
  },
};

const fetchTool: HubTool = {
  name: "web_fetch",
  description:
    "Fetch a web page or PDF and return its readable text. Only URLs that already appeared in the " +
    "conversation or in search results can be fetched.",
  input_schema: {
    type: "object",
    properties: { url: { type: "string", description: "The http(s) URL to fetch" } },
    required: ["url"],
  },
};

export function functionToolsFor(specs: WebToolSpecs): HubTool[] {
  const where = specs.search?.userLocation;
  // No backend takes a location that maps cleanly: the model is told, so its queries can be local.
  const search = where
    ? { ...searchTool, description: `${searchTool.description} The user is located in or near: ${where}.` }
    : searchTool;
  return [...(specs.search ? [search] : []), ...(specs.fetch ? [fetchTool] : [])];
}
