/**
 * Checks the requests a platform mock receives against the platform's own OpenAPI 3.0 description,
 * so a request the platform would refuse fails the test instead of passing against a lenient fake.
 *
 * Only the operations a mock serves are compiled (each with the component schemas it reaches),
 * once per process: compiling a whole description (Pinterest's is 2 MB) would cost seconds per
 * test file for nothing.
 *
 * OpenAPI 3.0 schemas are almost JSON Schema; what ajv 8 is given instead
 * (https://spec.openapis.org/oas/v3.0.3#schema-object):
 * - `nullable: true` is ajv's own keyword when the schema has a `type`; without one (a `$ref` or
 *   `allOf` made nullable) it becomes `anyOf: [schema, { type: 'null' }]`, which ajv accepts.
 * - `discriminator` with a `mapping` becomes one `if`/`then` per tag (the tag's value picks its
 *   schema) plus an `enum` of the tags; a `oneOf` listing only mapped schemas is then dropped, as
 *   the `if`/`then` says the same with errors about the chosen schema only. Ajv's own
 *   `discriminator` keyword refuses `mapping`, and the token request uses one without a `oneOf`.
 * - `example`, `xml`, `externalDocs` and `x-*` extensions are not JSON Schema: `strict: false`
 *   makes ajv ignore them. OpenAPI's formats (int32, int64, float, double, byte, binary,
 *   password) and the JSON Schema ones come from ajv-formats.
 * - Draft 2019-09 (Ajv2019) rather than draft-07, for `unevaluatedProperties`: a JSON body's
 *   top-level properties the description does not name are reported (a misspelt field the
 *   platform would ignore is a bug of ours all the same). Query parameters the operation does not
 *   declare are reported for the same reason.
 * Query, path and form values are strings on the wire: they are checked with type coercion
 * (ajv `coerceTypes: 'array'`, so one `creative_types=X` is an array of one).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2019, type ErrorObject, type ValidateFunction } from 'ajv/dist/2019.js';
import addFormatsModule from 'ajv-formats';

// ajv-formats is CommonJS; under ESM its default export may arrive wrapped once more.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv2019) => Ajv2019;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** The repository root: this file is test/harness/openApiContract.ts. */
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Reads a platform description from the shared `specs` folder beside the repository
 * (`../shared/specs/<file>` from the repository root), or says exactly what is missing.
 */
export function readSharedSpec(file: string): JsonObject {
  const where = path.resolve(repoRoot, '..', 'shared', 'specs', file);
  if (!fs.existsSync(where)) {
    throw new Error(
      `The OpenAPI description ${file} is not at ${where}. The contract mocks read the platforms' own descriptions from ` +
        `../shared/specs/ beside the repository; put an unchanged copy there (see that folder's README for the source).`,
    );
  }
  return JSON.parse(fs.readFileSync(where, 'utf8')) as JsonObject;
}

export interface ServedOperation {
  method: string;
  /** The path template as the description writes it, relative to its server: '/pins/{pin_id}'. */
  path: string;
}

export interface OperationMatch {
  method: string;
  template: string;
  operationId: string;
  pathParams: Record<string, string>;
  /** OAuth scopes the description's `security` asks for (the first OAuth 2 requirement). */
  scopes: string[];
  /** Security schemes the operation accepts ('basic', 'pinterest_oauth2', ...). */
  securitySchemes: string[];
  /** Vendor extensions of the operation (`x-ratelimit-category`, `x-sandbox`, ...). */
  extensions: Record<string, unknown>;
}

export interface RequestCheck {
  /** The operation this request is, or undefined when the description has no such operation. */
  operation?: OperationMatch;
  /** Why the description does not allow this request; empty when it does. */
  problems: string[];
}

export interface IncomingCall {
  method: string;
  /** Path relative to the description's server (without '/v5'). */
  path: string;
  query: URLSearchParams;
  contentType?: string;
  /** The raw body, parsed here according to its content type. */
  rawBody?: Buffer;
  /** A multipart/form-data body's fields, as the mock read them (a file part as its file name):
   *  checked like a form's values, with type coercion. */
  formFields?: Record<string, string>;
}

interface CompiledOperation {
  method: string;
  template: string;
  matcher: RegExp;
  pathParamNames: string[];
  operationId: string;
  scopes: string[];
  securitySchemes: string[];
  extensions: Record<string, unknown>;
  checkPath: ValidateFunction;
  checkQuery: ValidateFunction;
  bodyRequired: boolean;
  bodies: Map<string, { validate: ValidateFunction; form: boolean; multipart: boolean }>;
  responses: Map<string, ValidateFunction>;
}

export interface OpenApiContract {
  /** Matches a request to an operation and checks its path, query and body. */
  check(call: IncomingCall): RequestCheck;
  /** Problems with an answer the mock is about to send, against the operation's response schema. */
  checkResponse(operation: OperationMatch, status: number, body: unknown): string[];
  /** Milliseconds spent compiling the validators. */
  compileMs: number;
}

const componentsId = 'https://localpost.invalid/openapi/components.json';

/** Compiles request (and success response) validators for the given operations only. */
export function compileOpenApiContract(spec: JsonObject, served: ServedOperation[]): OpenApiContract {
  const started = performance.now();
  const components = (spec.components ?? {}) as JsonObject;
  const resolve = (ref: string): JsonObject => {
    const [, kind, name] = /^#\/components\/([^/]+)\/(.+)$/.exec(ref) ?? [];
    const found = kind && name ? ((components[kind] as JsonObject | undefined)?.[name] as JsonObject | undefined) : undefined;
    if (!found) throw new Error(`The description has no ${ref}.`);
    return found;
  };

  // The component schemas reachable from the served operations, converted once.
  const reached = new Map<string, Json>();
  const reach = (node: Json): void => {
    if (Array.isArray(node)) return node.forEach(reach);
    if (!node || typeof node !== 'object') return;
    const ref = node.$ref;
    if (typeof ref === 'string' && ref.startsWith('#/components/schemas/')) {
      const name = ref.slice('#/components/schemas/'.length);
      if (!reached.has(name)) {
        reached.set(name, null);
        const schema = resolve(ref);
        reach(schema);
        reached.set(name, toJsonSchema(schema));
      }
    }
    // A discriminator's mapping names schemas by reference without a `$ref`.
    const mapping = (node.discriminator as { mapping?: Record<string, string> } | undefined)?.mapping;
    if (mapping) Object.values(mapping).forEach((target) => reach({ $ref: target }));
    for (const value of Object.values(node)) reach(value);
  };

  const ajvOptions = { strict: false, allErrors: true, validateSchema: false } as const;
  const bodyAjv = new Ajv2019({ ...ajvOptions });
  const wireAjv = new Ajv2019({ ...ajvOptions, coerceTypes: 'array' });
  const compiled: CompiledOperation[] = [];
  const pending: Array<() => void> = [];

  for (const { method, path: template } of served) {
    const pathItem = (spec.paths as JsonObject)[template] as JsonObject | undefined;
    const operation = pathItem?.[method.toLowerCase()] as JsonObject | undefined;
    if (!pathItem || !operation) throw new Error(`The description has no ${method} ${template}.`);
    const parameters = [...((pathItem.parameters as Json[]) ?? []), ...((operation.parameters as Json[]) ?? [])].map((p) => {
      const parameter = p as JsonObject;
      return typeof parameter.$ref === 'string' ? resolve(parameter.$ref) : parameter;
    });
    const parameterSchema = (location: string) => {
      const declared = parameters.filter((p) => p.in === location);
      return {
        type: 'object',
        properties: Object.fromEntries(declared.map((p) => [p.name as string, toJsonSchema((p.schema ?? {}) as Json)])),
        required: declared.filter((p) => p.required === true).map((p) => p.name as string),
        additionalProperties: false,
      } as JsonObject;
    };
    const requestBody = operation.requestBody as JsonObject | undefined;
    const security = ((operation.security ?? spec.security ?? []) as JsonObject[]).flatMap((requirement) => Object.entries(requirement));
    const oauth = security.find(([scheme]) => scheme !== 'basic' && scheme !== 'client_credentials');
    const pathParamNames = [...template.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
    const entry: CompiledOperation = {
      method: method.toUpperCase(),
      template,
      matcher: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '([^/]+)')}$`),
      pathParamNames,
      operationId: String(operation.operationId ?? `${method} ${template}`),
      scopes: (oauth?.[1] as string[] | undefined) ?? [],
      securitySchemes: [...new Set(security.map(([scheme]) => scheme))],
      extensions: Object.fromEntries(Object.entries(operation).filter(([key]) => key.startsWith('x-'))),
      checkPath: undefined as unknown as ValidateFunction,
      checkQuery: undefined as unknown as ValidateFunction,
      bodyRequired: requestBody?.required === true,
      bodies: new Map(),
      responses: new Map(),
    };
    const pathSchema = parameterSchema('path');
    const querySchema = parameterSchema('query');
    reach(pathSchema);
    reach(querySchema);
    const bodySchemas: Array<[string, JsonObject]> = Object.entries((requestBody?.content ?? {}) as JsonObject).map(([type, media]) => [
      type,
      ((media as JsonObject).schema ?? {}) as JsonObject,
    ]);
    bodySchemas.forEach(([, schema]) => reach(schema));
    const responseSchemas = Object.entries((operation.responses ?? {}) as JsonObject)
      .filter(([status]) => /^2\d\d$/.test(status))
      .map(([status, response]) => {
        const content = ((response as JsonObject).content ?? {}) as JsonObject;
        return [status, ((content['application/json'] as JsonObject | undefined)?.schema ?? {}) as JsonObject] as const;
      });
    responseSchemas.forEach(([, schema]) => reach(schema));
    pending.push(() => {
      entry.checkPath = wireAjv.compile(pointAtComponents(pathSchema));
      entry.checkQuery = wireAjv.compile(pointAtComponents(querySchema));
      for (const [type, schema] of bodySchemas) {
        const urlencoded = type === 'application/x-www-form-urlencoded';
        // A multipart form's values are strings too (RFC 7578), its fields named as strictly as JSON's.
        const multipart = type === 'multipart/form-data';
        const form = urlencoded || multipart;
        // A form's values are strings, and the token request's description lists only the fields
        // every grant needs, so unnamed fields are not reported there.
        const root = urlencoded ? toJsonSchema(schema) : { allOf: [toJsonSchema(schema)], unevaluatedProperties: false };
        entry.bodies.set(type, { form, multipart, validate: (form ? wireAjv : bodyAjv).compile(pointAtComponents(root)) });
      }
      for (const [status, schema] of responseSchemas) entry.responses.set(status, bodyAjv.compile(pointAtComponents(toJsonSchema(schema))));
    });
    compiled.push(entry);
  }

  const componentsDocument = { $id: componentsId, components: { schemas: Object.fromEntries(reached) } };
  bodyAjv.addSchema(componentsDocument);
  wireAjv.addSchema(structuredClone(componentsDocument));
  addFormats(bodyAjv);
  addFormats(wireAjv);
  for (const compile of pending) compile();
  const compileMs = performance.now() - started;

  const describe = (errors: ErrorObject[] | null | undefined, where: string) =>
    (errors ?? [])
      // The `if` of a discriminator mapping that did not apply says nothing useful.
      .filter((error) => error.keyword !== 'if')
      .map((error) => {
        const at = `${where}${error.instancePath.replace(/^\//, ' ').replace(/\//g, '.')}`;
        if (error.keyword === 'additionalProperties' || error.keyword === 'unevaluatedProperties') {
          const name = (error.params as { additionalProperty?: string; unevaluatedProperty?: string });
          return `${at}: ${name.additionalProperty ?? name.unevaluatedProperty} is not in the description`;
        }
        return `${at} ${error.message}${error.keyword === 'enum' ? ` (${(error.params as { allowedValues: unknown[] }).allowedValues.join(', ')})` : ''}`;
      });

  return {
    compileMs,
    check(call) {
      const method = call.method.toUpperCase();
      const byPath = compiled.filter((operation) => operation.matcher.test(call.path));
      const entry = byPath.find((operation) => operation.method === method);
      if (!entry) {
        return {
          problems: [
            byPath.length > 0
              ? `${method} ${call.path}: the description allows only ${byPath.map((o) => o.method).join(', ')} here`
              : `${method} ${call.path}: no such operation in the description (or not one this mock serves)`,
          ],
        };
      }
      const name = `${method} ${entry.template}`;
      const values = entry.matcher.exec(call.path)!.slice(1);
      const pathParams = Object.fromEntries(entry.pathParamNames.map((param, index) => [param, decodeURIComponent(values[index]!)]));
      const operation: OperationMatch = {
        method,
        template: entry.template,
        operationId: entry.operationId,
        pathParams,
        scopes: entry.scopes,
        securitySchemes: entry.securitySchemes,
        extensions: entry.extensions,
      };
      const problems: string[] = [];
      if (!entry.checkPath({ ...pathParams })) problems.push(...describe(entry.checkPath.errors, `${name} path`));
      const query: Record<string, string | string[]> = {};
      for (const key of new Set(call.query.keys())) {
        const all = call.query.getAll(key);
        query[key] = all.length === 1 ? all[0]! : all;
      }
      if (!entry.checkQuery(query)) problems.push(...describe(entry.checkQuery.errors, `${name} query`));

      const hasBody = (call.rawBody?.length ?? 0) > 0;
      if (entry.bodies.size === 0) {
        if (hasBody) problems.push(`${name}: the description gives this operation no body, but one was sent`);
        return { operation, problems };
      }
      if (!hasBody) {
        if (entry.bodyRequired) problems.push(`${name}: a body is required`);
        return { operation, problems };
      }
      const type = (call.contentType ?? '').split(';')[0]!.trim().toLowerCase();
      const body = entry.bodies.get(type);
      if (!body) {
        problems.push(`${name}: Content-Type "${type}" is not one the description accepts (${[...entry.bodies.keys()].join(', ')})`);
        return { operation, problems };
      }
      let value: unknown;
      if (body.multipart) {
        value = { ...(call.formFields ?? {}) };
      } else if (body.form) {
        value = Object.fromEntries(new URLSearchParams(call.rawBody!.toString('utf8')));
      } else {
        try {
          value = JSON.parse(call.rawBody!.toString('utf8'));
        } catch {
          problems.push(`${name}: the body is not JSON`);
          return { operation, problems };
        }
      }
      if (!body.validate(value)) problems.push(...describe(body.validate.errors, `${name} body`));
      return { operation, problems };
    },
    checkResponse(operation, status, body) {
      const entry = compiled.find((o) => o.method === operation.method && o.template === operation.template);
      const validate = entry?.responses.get(String(status));
      if (!validate || validate(body)) return [];
      return describe(validate.errors, `${operation.method} ${operation.template} answer ${status}`);
    },
  };
}

/** Makes the component references of a top-level schema point into the compiled components document. */
function pointAtComponents(schema: Json): JsonObject {
  const rewrite = (node: Json): Json => {
    if (Array.isArray(node)) return node.map(rewrite);
    if (!node || typeof node !== 'object') return node;
    return Object.fromEntries(
      Object.entries(node).map(([key, value]) => [key, key === '$ref' && typeof value === 'string' && value.startsWith('#/') ? componentsId + value : rewrite(value)]),
    );
  };
  return rewrite(schema) as JsonObject;
}

/** One OpenAPI 3.0 schema as JSON Schema ajv understands (see the file's comment for what changes). */
export function toJsonSchema(node: Json): Json {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (!node || typeof node !== 'object') return node;
  const converted: JsonObject = {};
  for (const [key, value] of Object.entries(node)) {
    // `properties` maps names to schemas: a property named "discriminator" stays a property.
    if (key === 'properties' && value && typeof value === 'object' && !Array.isArray(value)) {
      converted.properties = Object.fromEntries(Object.entries(value).map(([name, schema]) => [name, toJsonSchema(schema)]));
    } else if (key !== 'discriminator' && !key.startsWith('x-')) {
      converted[key] = toJsonSchema(value);
    }
  }
  const discriminator = node.discriminator as { propertyName?: string; mapping?: Record<string, string> } | undefined;
  if (discriminator?.propertyName && discriminator.mapping) {
    const tag = discriminator.propertyName;
    const mapping = discriminator.mapping;
    const targets = new Set(Object.values(mapping));
    const oneOf = converted.oneOf as JsonObject[] | undefined;
    if (oneOf && oneOf.every((branch) => typeof branch.$ref === 'string' && targets.has(branch.$ref))) delete converted.oneOf;
    converted.required = [...new Set([...((converted.required as string[] | undefined) ?? []), tag])];
    converted.allOf = [
      ...((converted.allOf as Json[] | undefined) ?? []),
      { properties: { [tag]: { enum: Object.keys(mapping) } } },
      ...Object.entries(mapping).map(([value, ref]) => ({ if: { properties: { [tag]: { const: value } }, required: [tag] }, then: { $ref: ref } })),
    ];
  }
  if (converted.nullable === true && converted.type === undefined) {
    delete converted.nullable;
    return { anyOf: [converted, { type: 'null' }] };
  }
  return converted;
}
