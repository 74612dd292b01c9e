/**
 * Contract-test helpers: the platforms' published contracts, loaded at run time from
 * ../shared/contracts (never copied into this repo), and a recording `fetch` that checks every
 * request a platform client sends, and every answer it gets, against them.
 *
 * - Chatwoot: its OpenAPI document, application_swagger.json, validated with openapi-backend
 *   (router: method + path template → operation; ajv: path/query parameters and JSON body, and
 *   response bodies per status). Where the file is inconsistent or incomplete the fix is made in
 *   memory, in `loadChatwootSpec`, with a comment; the file itself is never changed.
 * - Helena: no machine-readable spec exists, so `HELENA_CONTRACT` encodes what
 *   ../shared/contracts/helena/FACTS.md documents as a small table, one row per endpoint the
 *   client uses, each citing its FACTS.md section; `helenaSpec` turns the table into an
 *   in-memory OpenAPI document so both platforms go through the same checks.
 *
 * Auth is not a declared parameter in either document; `securityFindings` checks it from the
 * operation's security requirement (Chatwoot `userApiKey` = header `api_access_token`; Helena
 * `Authorization: Bearer`).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { OpenAPIBackend, type Document, type Operation } from 'openapi-backend';

type Json = Record<string, unknown>;
type Schema = Json;

/** Where the shared contracts live: beside the project root (tests run with cwd = project root). */
export const CONTRACTS_DIR = resolve(process.cwd(), '../shared/contracts');

// ── Chatwoot: the published OpenAPI document ────────────────────────────────

export const CHATWOOT_SPEC_PATH = resolve(CONTRACTS_DIR, 'chatwoot/application_swagger.json');

/** The JSON pointer prefix of every account-scoped path (FACTS.md calls it `P`). */
const ACCOUNT = '/api/v1/accounts/{account_id}';

/**
 * application_swagger.json as published, with the in-memory fixes a validator needs. Each one
 * names the inconsistency in the file it works around, and checks that the inconsistency is
 * still there (so a fixed spec makes the fix go, instead of hiding a change).
 */
export function loadChatwootSpec(): Document {
  const spec = JSON.parse(readFileSync(CHATWOOT_SPEC_PATH, 'utf8')) as Json & {
    components: { schemas: Record<string, Schema> };
    paths: Record<string, Record<string, Json>>;
  };
  const schemas = spec.components.schemas;

  // FACTS.md §7: the file refers to two schemas it never defines
  // (`contact_inboxes.properties.inbox` → inbox_contact, and portal_single). "Any" in memory.
  for (const missing of ['inbox_contact', 'portal_single']) {
    if (schemas[missing]) throw new Error(`the spec now defines ${missing}: drop this in-memory fix`);
    schemas[missing] = {};
  }

  // FACTS.md §2: contactUpdate documents only `204` with a body (`contact_base`), which HTTP
  // does not allow; upstream answers `200 {payload: contact}` (the `show` view, as the
  // reference inbox does). Declare that 200 in memory as `contact_show_response`, the spec's own
  // schema for `{payload: contact_list_item}`, so a 200 answer is validated rather than waved
  // through (openapi-backend silently accepts a status that has no schema). A 204 stays as
  // documented; an answer to it must be empty (checked in `checkResponse`).
  const update = spec.paths[`${ACCOUNT}/contacts/{id}`]?.put as { responses: Json } | undefined;
  if (!update?.responses['204'] || update.responses['200']) throw new Error('contactUpdate responses changed: review this fix');
  update.responses['200'] = {
    description: 'In memory (FACTS.md §2): what servers answer to an update',
    content: { 'application/json': { schema: { $ref: '#/components/schemas/contact_show_response' } } },
  };

  // The filter request schema says `query_operator` is a string in AND|OR, while the spec's own
  // example for the same body ends the list with `"query_operator": null` (pointer
  // P~1contacts~1filter/post/requestBody/content/application~1json/schema/properties/payload/example/1).
  // The last condition joins nothing, so null is what the spec shows; allow exactly that.
  const filter = spec.paths[`${ACCOUNT}/contacts/filter`]?.post as Json | undefined;
  const condition = (filter as { requestBody: { content: Record<string, { schema: Schema }> } } | undefined)?.requestBody
    .content['application/json']?.schema as { properties: { payload: { items: { properties: Record<string, Schema> }; example: Json[] } } } | undefined;
  const queryOperator = condition?.properties.payload.items.properties.query_operator;
  if (!queryOperator || condition.properties.payload.example.at(-1)?.query_operator !== null) {
    throw new Error('contactFilter query_operator changed: review this fix');
  }
  queryOperator.nullable = true;
  queryOperator.enum = [...(queryOperator.enum as unknown[]), null];

  return spec as unknown as Document;
}

// ── Helena: the contract FACTS.md documents, as a table ─────────────────────

export const HELENA_FACTS_PATH = resolve(CONTRACTS_DIR, 'helena/FACTS.md');

/** FACTS.md gives no nullability, so an optional field may also be null. */
const str = (extra: Schema = {}): Schema => ({ type: 'string', nullable: true, ...extra });
const uuid = str({ format: 'uuid' });
const CONTACT_STATUS = ['ACTIVE', 'ARCHIVED', 'BLOCKED'];

/** PublicContactDTO, FACTS.md §3. Only `id` and `status` are relied on as required. */
const PublicContactDTO: Schema = {
  type: 'object',
  required: ['id', 'status'],
  properties: {
    id: { type: 'string' },
    createdAt: str(),
    updatedAt: str(),
    importedAt: str(),
    companyId: uuid,
    name: str(),
    nameWhatsapp: str(),
    nameInstagram: str(),
    nameMessenger: str(),
    // Raw stored form "+<country code>|<national number>" (FACTS.md §3, official webhook example).
    phoneNumber: str({ pattern: '^\\+\\d{1,3}\\|\\d+$' }),
    phoneNumberFormatted: str(),
    email: str(),
    instagram: str(),
    messengerId: str(),
    annotation: str(),
    tagIds: { type: 'array', items: { type: 'string' }, nullable: true },
    tagNames: { type: 'array', items: { type: 'string' }, nullable: true },
    status: { type: 'string', enum: CONTACT_STATUS },
    origin: str({ enum: ['CREATED_BY_USER', 'CREATED_FROM_HUB', 'IMPORTED', null] }),
    utm: { type: 'object', nullable: true },
    customFields: { type: 'object', nullable: true },
    metadata: { type: 'object', nullable: true },
    portfolioIds: { type: 'array', nullable: true },
    portfolioNames: { type: 'array', nullable: true },
  },
};

/** The paging envelope of list/filter answers, FACTS.md §4 "Pagination envelope". */
const ContactPage: Schema = {
  type: 'object',
  required: ['hasMorePages', 'items'],
  properties: {
    pageNumber: { type: 'integer', minimum: 1 },
    pageSize: { type: 'integer', minimum: 1, maximum: 100 },
    orderBy: str(),
    orderDirection: str({ enum: ['ASCENDING', 'DESCENDING', null] }),
    totalPages: { type: 'integer', minimum: 0 },
    totalItems: { type: 'integer', minimum: 0 },
    hasMorePages: { type: 'boolean' },
    items: { type: 'array', items: PublicContactDTO },
  },
};

/** PublicSessionDTOV2, FACTS.md §5. */
const PublicSessionDTOV2: Schema = {
  type: 'object',
  required: ['id', 'contactId'],
  properties: {
    id: { type: 'string' },
    contactId: { type: 'string' },
    companyId: uuid,
    channelId: uuid,
    departmentId: uuid,
    userId: uuid,
    number: { oneOf: [str(), { type: 'integer' }] },
    status: str({ enum: ['UNDEFINED', 'STARTED', 'PENDING', 'IN_PROGRESS', 'COMPLETED', 'HIDDEN', null] }),
    startAt: str(),
    endAt: str(),
    lastMessageText: str(),
    unreadCount: { type: 'integer', nullable: true },
    windowStatus: str({ enum: ['ACTIVE', 'EXPIRED', 'NOT_STARTED', null] }),
    channelType: str(),
    type: str({ enum: ['INDIVIDUAL', 'GROUP', null] }),
    utm: { type: 'object', nullable: true },
    metadata: { type: 'object', nullable: true },
    contactDetails: { type: 'object', nullable: true },
  },
};

/** The session list's answer (FACTS.md §5: "Each item has `contactId` and `contactDetails`"), in the paging envelope. */
const SessionPage: Schema = {
  type: 'object',
  required: ['items'],
  properties: {
    pageNumber: { type: 'integer', minimum: 1 },
    pageSize: { type: 'integer', minimum: 1, maximum: 100 },
    totalPages: { type: 'integer', minimum: 0 },
    totalItems: { type: 'integer', minimum: 0 },
    hasMorePages: { type: 'boolean' },
    items: { type: 'array', items: PublicSessionDTOV2 },
  },
};

/** PublicAgentDTO, FACTS.md §6. */
const PublicAgentDTO: Schema = {
  type: 'object',
  required: ['id'],
  properties: {
    id: { type: 'string' },
    userId: uuid,
    companyId: uuid,
    name: str(),
    shortName: str(),
    email: str(),
    phoneNumber: str(),
    phoneNumberFormatted: str(),
    // A string; create/update use the enum Admin | Agent | RestrictedAgent.
    profile: str(),
    isOwner: { type: 'boolean', nullable: true },
    departments: { type: 'array', nullable: true },
    availability: str({ enum: ['AVAILABLE', 'UNAVAILABLE', null] }),
  },
};

const contactDetails = { name: 'IncludeDetails', in: 'query', schema: { type: 'string', enum: ['Tags', 'CustomFields', 'Portfolios'] } };

export interface HelenaRow {
  /** Where in helena/FACTS.md this row comes from. */
  facts: string;
  /** The words FACTS.md documents the endpoint with, verbatim (a test checks they are there). */
  quote: string;
  operationId: string;
  method: 'get' | 'post' | 'put';
  path: string;
  parameters?: Json[];
  body?: Schema;
  response?: Schema;
}

/**
 * The Helena endpoints Inbox Guard uses, as FACTS.md documents them. Paths are relative to the
 * API host (FACTS.md §1). Every row needs `Authorization: Bearer <token>` (FACTS.md §2).
 */
export const HELENA_CONTRACT: HelenaRow[] = [
  {
    // §6: `GET /core/v1/agent` lists the users; a bare array of PublicAgentDTO (3P), no paging.
    facts: '§6',
    operationId: 'get_v1-agent',
    quote: '`GET /core/v1/agent` lists users',
    method: 'get',
    path: '/core/v1/agent',
    response: { type: 'array', items: PublicAgentDTO },
  },
  {
    // §4 table "Get by id": `GET /core/v1/contact/{id}` (id: uuid), query IncludeDetails.
    facts: '§4 Get by id',
    operationId: 'get_v1-contact-id',
    quote: '| Get by id | `GET /core/v1/contact/{id}` |',
    method: 'get',
    path: '/core/v1/contact/{id}',
    parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', minLength: 1 } }, contactDetails],
    response: PublicContactDTO,
  },
  {
    // §4 "Get by phone" + §3 "Phone format": looked up as digits only, with the country code.
    facts: '§4 Get by phone, §3 Phone format',
    operationId: 'get_v1-contact-phonenumber-phone',
    quote: '| Get by phone | `GET /core/v1/contact/phonenumber/{phone}` |',
    method: 'get',
    path: '/core/v1/contact/phonenumber/{phone}',
    parameters: [{ name: 'phone', in: 'path', required: true, schema: { type: 'string', pattern: '^\\d{8,15}$' } }, contactDetails],
    response: PublicContactDTO,
  },
  {
    // §4 "Filter/search": JSON body with exactly these keys; status defaults to ACTIVE; the
    // envelope's pageSize is at most 100 ("Pagination envelope").
    facts: '§4 Filter/search, Pagination envelope',
    operationId: 'post_v1-contact-filter',
    quote: '| Filter/search | `POST /core/v1/contact/filter` |',
    method: 'post',
    path: '/core/v1/contact/filter',
    body: {
      type: 'object',
      additionalProperties: false,
      properties: {
        pageNumber: { type: 'integer', minimum: 1 },
        pageSize: { type: 'integer', minimum: 1, maximum: 100 },
        orderBy: { type: 'string' },
        orderDirection: { type: 'string', enum: ['ASCENDING', 'DESCENDING'] },
        createdAt: { type: 'object', additionalProperties: false, properties: { before: { type: 'string' }, after: { type: 'string' } } },
        updatedAt: { type: 'object', additionalProperties: false, properties: { before: { type: 'string' }, after: { type: 'string' } } },
        includeDetails: { type: 'array', items: { type: 'string', enum: ['Tags', 'CustomFields', 'Portfolios'] } },
        status: { type: 'string', enum: CONTACT_STATUS },
        textFilter: { type: 'string' },
        name: { type: 'string' },
        phoneNumber: { type: 'string' },
        email: { type: 'string' },
        instagram: { type: 'string' },
        tagIds: { type: 'array', items: { type: 'string' } },
        tagNames: { type: 'array', items: { type: 'string' } },
        portfolioIds: { type: 'array', items: { type: 'string' } },
        portfolioNames: { type: 'array', items: { type: 'string' } },
        origin: { type: 'string', enum: ['CREATED_BY_USER', 'CREATED_FROM_HUB', 'IMPORTED'] },
        customFields: { type: 'object' },
        metadata: { type: 'object' },
      },
    },
    response: ContactPage,
  },
  {
    // §4 "Update (by id)": body PublicReqUpdateContactDTO; `fields` names what changes and
    // attributes not named are ignored (3P), so a `status` must come with "Status" in `fields`;
    // status is ACTIVE|ARCHIVED|BLOCKED. The answer is a PublicContactDTO.
    facts: '§4 Update (by id), Update body, Block or unblock',
    operationId: 'put_v2-contact-id',
    quote: '| **Update (by id)** | **`PUT /core/v2/contact/{id}`** |',
    method: 'put',
    path: '/core/v2/contact/{id}',
    parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', minLength: 1 } }],
    body: {
      type: 'object',
      additionalProperties: false,
      required: ['fields'],
      properties: {
        fields: {
          type: 'array',
          minItems: 1,
          uniqueItems: true,
          // The extraction truncated one more enum value (§4); the client needs none of it.
          items: {
            type: 'string',
            enum: ['Name', 'PhoneNumber', 'Email', 'Instagram', 'Annotation', 'Tags', 'Status', 'CustomFields', 'PictureUrl', 'Portfolio', 'SequenceIds', 'Utm'],
          },
        },
        name: { type: 'string' },
        phoneNumber: { type: 'string' },
        email: { type: 'string' },
        instagram: { type: 'string' },
        annotation: { type: 'string' },
        tagIds: { type: 'array', items: { type: 'string' } },
        tagNames: { type: 'array', items: { type: 'string' } },
        portfolioIds: { type: 'array', items: { type: 'string' } },
        portfolioNames: { type: 'array', items: { type: 'string' } },
        sequenceIds: { type: 'array', items: { type: 'string' } },
        status: { type: 'string', enum: CONTACT_STATUS },
        pictureUrl: { type: 'string' },
        customFields: { type: 'object' },
        metadata: { type: 'object' },
        utm: { type: 'object' },
        options: { type: 'object', properties: { tagsOperation: { type: 'string' } } },
      },
      allOf: [{ if: { required: ['status'] }, then: { properties: { fields: { contains: { const: 'Status' } } } } }],
    },
    response: PublicContactDTO,
  },
  {
    // §5: `GET /chat/v2/session/{id}` → PublicSessionDTOV2 with `contactId`; query includeDetails.
    facts: '§5',
    operationId: 'get_v2-session-id',
    quote: '**`GET /chat/v2/session/{id}`** (`get_v2-session-id`) returns `PublicSessionDTOV2`',
    method: 'get',
    path: '/chat/v2/session/{id}',
    parameters: [
      { name: 'id', in: 'path', required: true, schema: { type: 'string', minLength: 1 } },
      {
        name: 'includeDetails',
        in: 'query',
        schema: { type: 'string', enum: ['ContactDetails', 'AgentDetails', 'DepartmentsDetails', 'ChannelDetails', 'ChannelTypeDetails', 'ClassificationDetails'] },
      },
    ],
    response: PublicSessionDTOV2,
  },
  {
    // §5: `GET /chat/v1/session`, the list, filtered by `ContactId`, `PageNumber` / `PageSize` (1–100).
    facts: '§5',
    operationId: 'get_v1-session',
    quote: '**`GET /chat/v1/session`**, the list, takes filters `ContactId`',
    method: 'get',
    path: '/chat/v1/session',
    parameters: [
      { name: 'ContactId', in: 'query', schema: { type: 'string', minLength: 1 } },
      { name: 'PageNumber', in: 'query', schema: { type: 'integer', minimum: 1 } },
      { name: 'PageSize', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 100 } },
    ],
    response: SessionPage,
  },
  {
    // §5 "Session actions": `PUT …/complete` with {reactivateOnNewMessage, stopBotInExecution}.
    // No answer shape is documented.
    facts: '§5 Session actions',
    operationId: 'put_v1-session-id-complete',
    quote: '`PUT …/complete` with `{reactivateOnNewMessage, stopBotInExecution}`',
    method: 'put',
    path: '/chat/v1/session/{id}/complete',
    parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', minLength: 1 } }],
    body: {
      type: 'object',
      additionalProperties: false,
      properties: { reactivateOnNewMessage: { type: 'boolean' }, stopBotInExecution: { type: 'boolean' } },
    },
  },
];

/** The table as an in-memory OpenAPI 3.0 document (security: FACTS.md §2, Bearer). */
export function helenaSpec(): Document {
  const paths: Record<string, Record<string, Json>> = {};
  for (const row of HELENA_CONTRACT) {
    paths[row.path] ??= {};
    paths[row.path]![row.method] = {
      operationId: row.operationId,
      summary: `helena/FACTS.md ${row.facts}`,
      parameters: row.parameters ?? [],
      ...(row.body ? { requestBody: { required: true, content: { 'application/json': { schema: row.body } } } } : {}),
      responses: {
        200: {
          description: 'FACTS.md',
          ...(row.response ? { content: { 'application/json': { schema: row.response } } } : {}),
        },
      },
    };
  }
  return {
    openapi: '3.0.3',
    info: { title: 'Helena, as helena/FACTS.md documents it', version: 'FACTS.md' },
    security: [{ bearer: [] }],
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    paths,
  } as unknown as Document;
}

// ── checking requests and responses against a document ─────────────────────

/** One thing a document does not allow: where (a JSON pointer into the request or the answer) and what. */
export interface Finding {
  at: string;
  message: string;
}

export interface Exchange {
  method: string;
  url: URL;
  headers: Record<string, string>;
  /** The parsed JSON body, if any. */
  body: unknown;
  /** The operation the request matched, if any. */
  operationId?: string;
  requestFindings: Finding[];
  status?: number;
  responseBody?: unknown;
  responseFindings: Finding[];
}

type SecurityScheme = { type: string; in?: string; name?: string; scheme?: string };
type AjvError = { instancePath: string; message?: string; keyword: string; params?: unknown };

const fromAjv = (error: AjvError, root: string): Finding => ({
  at: error.instancePath || root,
  message: `${error.message ?? error.keyword}${error.params ? ` ${JSON.stringify(error.params)}` : ''}`,
});

export class ContractChecker {
  private constructor(
    readonly name: string,
    private readonly api: OpenAPIBackend,
    private readonly document: Document,
  ) {}

  static async create(name: string, document: Document): Promise<ContractChecker> {
    const api = new OpenAPIBackend({
      definition: document,
      // quick: synchronous dereferencing, validators compiled when first used.
      quick: true,
      // Fail on a broken document instead of warning and going on.
      strict: true,
      // `/contacts/1/` is not `/contacts/1`.
      ignoreTrailingSlashes: false,
      // Every error, not the first one; formats (date-time, uuid…) are not checked (FACTS.md §7).
      ajvOpts: { allErrors: true, validateFormats: false },
    });
    await api.init();
    return new ContractChecker(name, api, document);
  }

  operation(operationId: string): Operation {
    const operation = this.api.getOperation(operationId);
    if (!operation) throw new Error(`${this.name}: no operation ${operationId}`);
    return operation;
  }

  /** The operation a request matches, and everything about the request the document does not allow. */
  checkRequest(request: { method: string; url: URL; headers: Record<string, string>; body: unknown }): {
    operationId?: string;
    findings: Finding[];
  } {
    const query: Record<string, string | string[]> = {};
    for (const key of new Set(request.url.searchParams.keys())) {
      const all = request.url.searchParams.getAll(key);
      query[key] = all.length === 1 ? all[0]! : all;
    }
    const req = { method: request.method.toLowerCase(), path: request.url.pathname, query, headers: request.headers, body: request.body };
    const operation = this.api.matchOperation(req);
    if (!operation?.operationId) {
      return { findings: [{ at: '(route)', message: `${request.method} ${request.url.pathname} is no operation of ${this.name}` }] };
    }

    const findings = (this.api.validateRequest(req, operation).errors ?? []).map((error) => fromAjv(error, '(request)'));
    findings.push(...this.securityFindings(operation, request.headers));

    const declared = operation.requestBody && 'content' in operation.requestBody ? operation.requestBody : undefined;
    const contentType = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (request.body === undefined) {
      if (declared?.required) findings.push({ at: '/requestBody', message: 'the operation requires a body and none was sent' });
      if (contentType) findings.push({ at: '/header/content-type', message: `${contentType} without a body` });
    } else if (!declared) {
      findings.push({ at: '/requestBody', message: 'the operation takes no body' });
    } else if (!Object.keys(declared.content).includes(contentType)) {
      findings.push({ at: '/header/content-type', message: `${contentType || '(none)'} is not one of ${Object.keys(declared.content).join(', ')}` });
    }
    return { operationId: operation.operationId, findings };
  }

  /** Auth as the operation's security requirement says (one alternative must be met in full). */
  private securityFindings(operation: Operation, headers: Record<string, string>): Finding[] {
    const requirements = operation.security ?? (this.document as { security?: Record<string, string[]>[] }).security ?? [];
    if (requirements.length === 0) return [];
    const schemes = (this.document as { components?: { securitySchemes?: Record<string, SecurityScheme> } }).components?.securitySchemes ?? {};
    const failures: string[] = [];
    for (const requirement of requirements) {
      const missing = Object.keys(requirement).flatMap((name) => {
        const scheme = schemes[name];
        if (!scheme) return [`unknown scheme ${name}`];
        if (scheme.type === 'apiKey' && scheme.in === 'header') {
          const value = headers[scheme.name!.toLowerCase()];
          return value && value.trim() === value ? [] : [`${name}: header ${scheme.name} missing or blank`];
        }
        if (scheme.type === 'http' && scheme.scheme?.toLowerCase() === 'bearer') {
          return /^Bearer \S+$/.test(headers.authorization ?? '') ? [] : [`${name}: no "Authorization: Bearer <token>"`];
        }
        return [`${name}: scheme ${scheme.type} is not checked by this helper`];
      });
      if (missing.length === 0) return [];
      failures.push(...missing);
    }
    return [{ at: '(security)', message: failures.join('; ') }];
  }

  /** What the document does not allow in an answer of `status` to `operationId`. */
  checkResponse(operationId: string, status: number, body: unknown): Finding[] {
    const operation = this.operation(operationId);
    const responses = operation.responses ?? {};
    const declared = (responses[String(status)] ?? responses[`${String(status)[0]}XX`] ?? responses.default) as
      | { content?: Record<string, { schema?: unknown }> }
      | undefined;
    if (!declared) return [{ at: '(status)', message: `${status} is not documented for ${operationId} (${Object.keys(responses).join(', ')})` }];
    if (status === 204 || status === 304) return body === undefined ? [] : [{ at: '(body)', message: `a ${status} answer carries a body` }];
    if (!declared.content?.['application/json']?.schema) return [];
    if (body === undefined) return [{ at: '(body)', message: `no body; ${status} declares a JSON schema` }];
    return (this.api.validateResponse(body, operation, status).errors ?? []).map((error) => fromAjv(error, '(root)'));
  }
}

/** The value at a JSON pointer (RFC 6901) in `document`. */
export function valueAt(document: unknown, pointer: string): unknown {
  if (!pointer.startsWith('/')) return undefined;
  let value = document;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

// ── a recording fetch ──────────────────────────────────────────────────────

export type Answer = { status: number; body?: unknown; headers?: Record<string, string> };

export interface Recorder {
  fetch: typeof fetch;
  /** Every request the client sent through `fetch`, in order, with what the checks found. */
  exchanges: Exchange[];
  /** How many times `fetch` was called: equal to exchanges.length when nothing slipped by. */
  calls(): number;
  /** The operations the client called, in order. */
  operations(): (string | undefined)[];
}

function parseBody(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * A `fetch` that checks each request against `checker`, gets its answer from `answer` (a fake
 * server, or the network), checks that answer too (2xx only: error bodies are not what the
 * client parses into contacts), and records both.
 */
export function recordingFetch(
  checker: ContractChecker,
  answer: (exchange: Exchange, input: string, init: RequestInit) => Promise<Response | Answer> | Response | Answer,
): Recorder {
  const exchanges: Exchange[] = [];
  let calls = 0;
  const recorded = async (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
    calls += 1;
    if (typeof input !== 'string' && !(input instanceof URL)) throw new Error('the recorder expects fetch(url, init)');
    const url = new URL(String(input));
    const method = (init.method ?? 'GET').toUpperCase();
    const headers = Object.fromEntries(new Headers(init.headers).entries());
    const body = init.body === undefined || init.body === null ? undefined : parseBody(String(init.body));
    const exchange: Exchange = { method, url, headers, body, requestFindings: [], responseFindings: [] };
    exchanges.push(exchange);
    const checked = checker.checkRequest({ method, url, headers, body });
    exchange.operationId = checked.operationId;
    exchange.requestFindings = checked.findings;

    const result = await answer(exchange, url.toString(), init);
    const response =
      result instanceof Response
        ? result
        : new Response(result.body === undefined ? null : JSON.stringify(result.body), {
            status: result.status,
            headers: { ...(result.body === undefined ? {} : { 'Content-Type': 'application/json' }), ...result.headers },
          });
    exchange.status = response.status;
    exchange.responseBody = parseBody(await response.clone().text());
    if (exchange.operationId && response.ok) {
      exchange.responseFindings = checker.checkResponse(exchange.operationId, response.status, exchange.responseBody);
    }
    return response;
  };
  return {
    fetch: recorded as typeof fetch,
    exchanges,
    calls: () => calls,
    operations: () => exchanges.map((exchange) => exchange.operationId),
  };
}

/** `METHOD /path?query` of an exchange. */
export const describeExchange = (exchange: Exchange) => `${exchange.method} ${exchange.url.pathname}${exchange.url.search}`;

export type Excuse = (exchange: Exchange, finding: Finding, side: 'request' | 'response') => boolean;

/** Every finding not excused, one line each: what a test expects to be empty. */
export function findings(exchanges: Exchange[], excused: Excuse = () => false): string[] {
  return exchanges.flatMap((exchange) => [
    ...exchange.requestFindings
      .filter((finding) => !excused(exchange, finding, 'request'))
      .map((finding) => `request ${describeExchange(exchange)} ${exchange.operationId ?? ''}: ${finding.at} ${finding.message}`),
    ...exchange.responseFindings
      .filter((finding) => !excused(exchange, finding, 'response'))
      .map((finding) => `response ${exchange.status} to ${describeExchange(exchange)} ${exchange.operationId ?? ''}: ${finding.at} ${finding.message}`),
  ]);
}

/**
 * Requests the Chatwoot client sends that the published spec does not allow, each with why.
 * Empty: keep it so. (The last one, boolean filter values, was fixed in the client.)
 */
export const KNOWN_CHATWOOT_CLIENT_DEVIATIONS: { operationId: string; at: RegExp; message: RegExp; why: string }[] = [];

export const knownChatwootClientDeviation: Excuse = (exchange, finding, side) =>
  side === 'request' &&
  KNOWN_CHATWOOT_CLIENT_DEVIATIONS.some(
    (known) => known.operationId === exchange.operationId && known.at.test(finding.at) && known.message.test(finding.message),
  );
