/**
 * Checks the requests a Google API mock receives against the API's own discovery document
 * (developers.google.com/discovery/v1/reference/apis: the `rest` description Google's client
 * libraries are generated from), so a request Google would refuse fails the test instead of
 * passing against a lenient fake. What a discovery document says, and what is checked:
 *
 * - each method's `httpMethod` and `flatPath` (or `path`) under the document's `servicePath`, and
 *   for a method with `mediaUpload` its upload paths: the `simple` protocol's path, which takes
 *   `uploadType=resumable` too (the YouTube resumable guide sends the initiating POST there), and
 *   the `resumable` protocol's own path;
 * - query parameters: the method's `parameters` with `location: query` and the document's global
 *   `parameters`; one that neither declares is reported, as is a missing `required` one, a value
 *   outside its `enum`, a boolean other than true/false, an integer out of `minimum`/`maximum`,
 *   and a repeated value for a parameter that is not `repeated`;
 * - the JSON body against the method's `request` schema, the document's `schemas` turned into
 *   JSON Schema (`$ref` by id, `properties`, `items`, `additionalProperties`, `enum`, formats) with
 *   every object closed: a property the schema does not name is reported, as Google's server
 *   ignores it and the field would silently not be set;
 * - with `checkResponse`, a mock's own answer against the method's `response` schema.
 *
 * Schemas are compiled by ajv (draft 2019-09), only for the methods a mock serves, once per process.
 */
import { Ajv2019, type ErrorObject, type ValidateFunction } from 'ajv/dist/2019.js';
import addFormatsModule from 'ajv-formats';

// ajv-formats is CommonJS; under ESM its default export may arrive wrapped once more.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv2019) => Ajv2019;

interface DiscoveryParameter {
  type?: string;
  location?: string;
  required?: boolean;
  repeated?: boolean;
  enum?: string[];
  minimum?: string;
  maximum?: string;
  format?: string;
}

interface DiscoveryMethod {
  id: string;
  httpMethod: string;
  path: string;
  flatPath?: string;
  parameters?: Record<string, DiscoveryParameter>;
  request?: { $ref: string };
  response?: { $ref: string };
  scopes?: string[];
  mediaUpload?: { accept?: string[]; maxSize?: string; protocols?: Record<string, { path: string }> };
}

interface DiscoverySchema {
  id?: string;
  type?: string;
  $ref?: string;
  properties?: Record<string, DiscoverySchema>;
  items?: DiscoverySchema;
  additionalProperties?: DiscoverySchema;
  enum?: string[];
  format?: string;
}

export interface DiscoveryDocument {
  servicePath: string;
  parameters?: Record<string, DiscoveryParameter>;
  resources?: Record<string, { methods?: Record<string, DiscoveryMethod>; resources?: DiscoveryDocument['resources'] }>;
  schemas: Record<string, DiscoverySchema>;
}

export interface DiscoveryCall {
  method: string;
  /** The request's URL: its path and query are checked. */
  url: URL;
  /** The parsed JSON body, when the request has one. */
  body?: unknown;
}

export interface DiscoveryCheck {
  /** The method this request is (`youtube.videos.insert`), when the document has one that matches. */
  methodId?: string;
  /** OAuth scopes the method accepts (any one of them will do). */
  scopes: string[];
  /** Whether it went to one of the method's media upload paths. */
  upload: boolean;
  /** Why the document does not allow this request; empty when it does. */
  problems: string[];
}

export interface DiscoveryContract {
  check(call: DiscoveryCall): DiscoveryCheck;
  /** Problems of a mock's own answer against the method's response schema. */
  checkResponse(methodId: string, body: unknown): string[];
}

interface Route {
  method: DiscoveryMethod;
  httpMethod: string;
  pattern: RegExp;
  upload: boolean;
}

function* methodsOf(resources: DiscoveryDocument['resources']): Generator<DiscoveryMethod> {
  for (const resource of Object.values(resources ?? {})) {
    yield* Object.values(resource.methods ?? {});
    yield* methodsOf(resource.resources);
  }
}

/** A discovery path template (`youtube/v3/videos/{id}`, `{+name}`) as a regular expression for the whole path. */
function pathPattern(template: string): RegExp {
  const source = template
    .replace(/^\/+/, '')
    .split(/(\{\+?[^}]+\})/)
    .map((part) => (part.startsWith('{+') ? '(.+)' : part.startsWith('{') ? '([^/]+)' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^/${source}$`);
}

/** A discovery schema as JSON Schema: `$ref` by id, objects closed unless they say `additionalProperties`. */
export function discoveryToJsonSchema(schema: DiscoverySchema): Record<string, unknown> {
  if (schema.$ref) return { $ref: `#/$defs/${schema.$ref}` };
  const out: Record<string, unknown> = {};
  if (schema.enum) out.enum = schema.enum;
  switch (schema.type) {
    case 'object': {
      out.type = 'object';
      const properties = Object.fromEntries(Object.entries(schema.properties ?? {}).map(([name, value]) => [name, discoveryToJsonSchema(value)]));
      if (schema.properties) out.properties = properties;
      out.additionalProperties = schema.additionalProperties ? discoveryToJsonSchema(schema.additionalProperties) : false;
      break;
    }
    case 'array':
      out.type = 'array';
      if (schema.items) out.items = discoveryToJsonSchema(schema.items);
      break;
    case 'integer':
      // int64 and uint64 travel as strings in JSON (the discovery format reference); the others as numbers.
      if (schema.format === 'int64' || schema.format === 'uint64') out.type = 'string';
      else {
        out.type = 'integer';
        if (schema.format === 'uint32') out.minimum = 0;
      }
      break;
    case 'string':
      out.type = 'string';
      if (schema.format === 'date-time') out.format = 'date-time';
      if (schema.format === 'int64' || schema.format === 'uint64') out.pattern = '^-?\\d+$';
      break;
    case 'number':
    case 'boolean':
    case 'null':
      out.type = schema.type;
      break;
    case 'any':
    case undefined:
      break;
    default:
      throw new Error(`A discovery schema type this validator does not know: ${schema.type}`);
  }
  return out;
}

const compiled = new WeakMap<DiscoveryDocument, Map<string, ValidateFunction>>();

function validatorFor(document: DiscoveryDocument, ref: string): ValidateFunction {
  let cache = compiled.get(document);
  if (!cache) compiled.set(document, (cache = new Map()));
  const known = cache.get(ref);
  if (known) return known;
  if (!document.schemas[ref]) throw new Error(`The discovery document has no schema ${ref}.`);
  const ajv = new Ajv2019({ allErrors: true, strict: false });
  addFormats(ajv);
  const $defs = Object.fromEntries(Object.entries(document.schemas).map(([name, schema]) => [name, discoveryToJsonSchema(schema)]));
  const validate = ajv.compile({ $defs, $ref: `#/$defs/${ref}` });
  cache.set(ref, validate);
  return validate;
}

function describe(errors: ErrorObject[] | null | undefined, where: string): string[] {
  return (errors ?? []).map((error) => {
    const extra = error.keyword === 'additionalProperties' ? ` (${(error.params as { additionalProperty: string }).additionalProperty})` : '';
    return `${where}${error.instancePath || ''} ${error.message ?? error.keyword}${extra}`;
  });
}

function checkParameter(name: string, values: string[], spec: DiscoveryParameter): string[] {
  const problems: string[] = [];
  if (values.length > 1 && !spec.repeated) problems.push(`query parameter ${name} is given ${values.length} times but is not repeated`);
  for (const value of values) {
    if (spec.enum && !spec.enum.includes(value)) problems.push(`query parameter ${name}=${value} is not one of ${spec.enum.join(', ')}`);
    if (spec.type === 'boolean' && value !== 'true' && value !== 'false') problems.push(`query parameter ${name}=${value} is not a boolean`);
    if (spec.type === 'integer') {
      const number = Number(value);
      if (!/^-?\d+$/.test(value)) problems.push(`query parameter ${name}=${value} is not an integer`);
      else if ((spec.minimum !== undefined && number < Number(spec.minimum)) || (spec.maximum !== undefined && number > Number(spec.maximum))) {
        problems.push(`query parameter ${name}=${value} is outside ${spec.minimum ?? '-∞'}..${spec.maximum ?? '∞'}`);
      }
    }
  }
  return problems;
}

/** A contract for the methods a mock serves, by id (`youtube.videos.insert`). */
export function compileDiscoveryContract(document: DiscoveryDocument, served: readonly string[]): DiscoveryContract {
  const servicePath = `/${document.servicePath ?? ''}`.replace(/\/+$/, '');
  const routes: Route[] = [];
  const byId = new Map<string, DiscoveryMethod>();
  for (const method of methodsOf(document.resources)) byId.set(method.id, method);
  for (const id of served) {
    const method = byId.get(id);
    if (!method) throw new Error(`The discovery document has no method ${id}.`);
    routes.push({ method, httpMethod: method.httpMethod, pattern: pathPattern(`${servicePath}/${method.flatPath ?? method.path}`), upload: false });
    // The simple protocol's path takes every uploadType (media, multipart, resumable).
    for (const { path } of Object.values(method.mediaUpload?.protocols ?? {})) {
      routes.push({ method, httpMethod: method.httpMethod, pattern: pathPattern(path), upload: true });
    }
    if (method.request) validatorFor(document, method.request.$ref);
    if (method.response) validatorFor(document, method.response.$ref);
  }

  return {
    check({ method: httpMethod, url, body }) {
      const route = routes.find((candidate) => candidate.pattern.test(url.pathname) && candidate.httpMethod === httpMethod.toUpperCase());
      if (!route) {
        const samePath = routes.find((candidate) => candidate.pattern.test(url.pathname));
        return {
          scopes: [],
          upload: false,
          problems: [samePath ? `${httpMethod} ${url.pathname}: the method is ${samePath.httpMethod}` : `${httpMethod} ${url.pathname}: no such method in the discovery document`],
        };
      }
      const { method } = route;
      const problems: string[] = [];
      const allowed: Record<string, DiscoveryParameter> = { ...document.parameters };
      for (const [name, spec] of Object.entries(method.parameters ?? {})) if (spec.location === 'query') allowed[name] = spec;
      const names = new Set(url.searchParams.keys());
      for (const name of names) {
        const spec = allowed[name];
        if (!spec) {
          problems.push(`query parameter ${name} is not a parameter of ${method.id}`);
          continue;
        }
        problems.push(...checkParameter(name, url.searchParams.getAll(name), spec));
      }
      for (const [name, spec] of Object.entries(method.parameters ?? {})) {
        if (spec.required && spec.location === 'query' && !names.has(name)) problems.push(`query parameter ${name} is required by ${method.id}`);
      }
      if (route.upload && !['resumable', 'multipart', 'media'].includes(url.searchParams.get('uploadType') ?? '')) {
        problems.push(`an upload to ${url.pathname} needs uploadType (media, multipart or resumable)`);
      }
      if (method.request && body !== undefined) {
        const validate = validatorFor(document, method.request.$ref);
        if (!validate(body)) problems.push(...describe(validate.errors, `body (${method.request.$ref})`));
      } else if (!method.request && body !== undefined) {
        problems.push(`${method.id} takes no request body`);
      }
      return { methodId: method.id, scopes: method.scopes ?? [], upload: route.upload, problems };
    },
    checkResponse(methodId, body) {
      const method = byId.get(methodId);
      if (!method?.response) return [`${methodId} has no response schema`];
      const validate = validatorFor(document, method.response.$ref);
      return validate(body) ? [] : describe(validate.errors, `response (${method.response.$ref})`);
    },
  };
}
