/**
 * JSON Schema → the OpenAPI subset Gemini's `functionDeclarations[].parameters` accepts. Gemini answers 400
 * ("Unknown name …") for any other keyword, and Claude Code's tool schemas carry `$schema`,
 * `additionalProperties`, `exclusiveMinimum`… Unsupported keywords are removed recursively; the ones with a
 * close equivalent are rewritten (`const` → `enum`, `oneOf` → `anyOf`, `$ref` inlined, type arrays → `nullable`).
 */

type Schema = Record<string, unknown>;

/** Keywords Gemini's Schema message has. Everything else is dropped. */
const copied = new Set([
  "type",
  "title",
  "description",
  "nullable",
  "minItems",
  "maxItems",
  "minProperties",
  "maxProperties",
  "minLength",
  "maxLength",
  "pattern",
  "minimum",
  "maximum",
  "default",
  "example",
  "propertyOrdering",
]);

/** Formats Gemini documents per type; others (`uri`, `email`, `uuid`…) are rejected. */
const formatsByType: Record<string, ReadonlySet<string>> = {
  string: new Set(["enum", "date-time"]),
  number: new Set(["float", "double"]),
  integer: new Set(["int32", "int64"]),
};

/** `$ref`s deeper than this are cut (recursive schemas would otherwise never end). */
const MAX_REF_DEPTH = 8;

function isSchema(value: unknown): value is Schema {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

interface Context {
  definitions: Schema;
  refDepth: number;
}

function resolveRef(ref: string, context: Context): Schema | undefined {
  const match = /^#\/(?:\$defs|definitions)\/(.+)$/.exec(ref);
  const target = match ? context.definitions[decodeURIComponent(match[1])] : undefined;
  return isSchema(target) ? target : undefined;
}

/** Intersection of object schemas, as far as Gemini can express it: properties and required merged. */
function mergeAll(parts: Schema[]): Schema {
  const merged: Schema = {};
  const properties: Schema = {};
  const required = new Set<string>();
  for (const part of parts) {
    Object.assign(properties, isSchema(part.properties) ? part.properties : {});
    for (const name of Array.isArray(part.required) ? part.required : []) required.add(String(name));
    for (const [key, value] of Object.entries(part)) {
      if (key !== "properties" && key !== "required") merged[key] ??= value;
    }
  }
  if (Object.keys(properties).length > 0) merged.properties = properties;
  if (required.size > 0) merged.required = [...required];
  return merged;
}

function reduceType(schema: Schema, out: Schema): void {
  const type = schema.type;
  if (Array.isArray(type)) {
    const concrete = type.filter((entry) => entry !== "null");
    if (concrete.length > 0) out.type = concrete[0];
    if (concrete.length !== type.length) out.nullable = true;
  } else if (type === "null") {
    out.nullable = true;
  } else if (typeof type === "string") {
    out.type = type;
  }
}

/** Gemini's `enum` is for strings only; other values are spelled out in the description instead. */
function reduceEnum(values: unknown[], out: Schema): void {
  if (values.every((value) => typeof value === "string")) {
    out.enum = values;
    if (out.type === undefined) out.type = "string";
    return;
  }
  const listed = values.map((value) => JSON.stringify(value)).join(", ");
  out.description = [out.description, `One of: ${listed}`].filter(Boolean).join(" ");
}

function reduce(input: Schema, context: Context): Schema {
  let schema = input;
  if (typeof schema.$ref === "string") {
    const target = context.refDepth < MAX_REF_DEPTH ? resolveRef(schema.$ref, context) : undefined;
    if (!target) {
      return { type: "object", ...(schema.description ? { description: schema.description } : {}) };
    }
    const { $ref: _ref, ...rest } = schema;
    return reduce({ ...target, ...rest }, { ...context, refDepth: context.refDepth + 1 });
  }
  if (Array.isArray(schema.allOf)) {
    const { allOf, ...rest } = schema;
    schema = mergeAll([rest, ...allOf.filter(isSchema)]);
  }
  const out: Schema = {};
  for (const [key, value] of Object.entries(schema)) if (copied.has(key)) out[key] = value;
  reduceType(schema, out);
  if (schema.const !== undefined) reduceEnum([schema.const], out);
  else if (Array.isArray(schema.enum)) reduceEnum(schema.enum, out);
  // Approximate: Gemini has only inclusive bounds.
  if (typeof schema.exclusiveMinimum === "number" && out.minimum === undefined) {
    out.minimum = schema.exclusiveMinimum;
  }
  if (typeof schema.exclusiveMaximum === "number" && out.maximum === undefined) {
    out.maximum = schema.exclusiveMaximum;
  }
  if (typeof schema.format === "string" && formatsByType[String(out.type)]?.has(schema.format)) {
    out.format = schema.format;
  }
  const variants = Array.isArray(schema.anyOf)
    ? schema.anyOf
    : Array.isArray(schema.oneOf)
    ? schema.oneOf
    : [];
  if (variants.length > 0) out.anyOf = variants.filter(isSchema).map((variant) => reduce(variant, context));
  if (isSchema(schema.items)) out.items = reduce(schema.items, context);
  if (isSchema(schema.properties)) {
    const properties: Schema = {};
    for (const [name, value] of Object.entries(schema.properties)) {
      properties[name] = reduce(isSchema(value) ? value : {}, context);
    }
    out.properties = properties;
    if (Array.isArray(schema.required)) {
      const required = schema.required.filter((name) => typeof name === "string" && name in properties);
      if (required.length > 0) out.required = required;
    }
  }
  return out;
}

/**
 * Gemini's `parameters` for a tool's `input_schema`, or undefined when the tool takes no arguments (Gemini
 * rejects an OBJECT with no properties).
 *
 * @example
 * reduceGeminiSchema({ $schema: "…", type: "object", properties: { a: { type: "string" } }, additionalProperties: false })
 * // → { type: "object", properties: { a: { type: "string" } } }
 */
export function reduceGeminiSchema(schema: Schema | undefined): Schema | undefined {
  if (!schema) return undefined;
  const definitions = {
    ...(isSchema(schema.definitions) ? schema.definitions : {}),
    ...(isSchema(schema.$defs) ? schema.$defs : {}),
  };
  const reduced = reduce(schema, { definitions, refDepth: 0 });
  const properties = reduced.properties;
  if (reduced.type === "object" && (!isSchema(properties) || Object.keys(properties).length === 0)) {
    return undefined;
  }
  return reduced;
}
