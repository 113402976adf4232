/**
 * The `http.request` step: sends one request and returns the response as outputs.
 *
 * @example
 * - id: create
 *   uses: http.request
 *   with: { url: "${{ inputs.api }}/items", method: POST, json: { name: demo }, expect_status: [200, 201] }
 * - run: echo "${{ steps.create.outputs.json.id }}"
 */
import { StepError, type StepContext, type StepType } from '../contract.js';
import { excerpt, HTTP_METHODS, isJsonType, parseHttpUrl, send, type Incoming } from './send.js';

/** What `with:` of an http.request step holds once the engine resolved its expressions. */
export interface HttpRequestInput {
  readonly url: string;
  readonly method?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly json?: unknown;
  readonly body?: string;
  readonly timeout?: number;
  readonly expect_status?: number | readonly number[];
}

export interface HttpRequestOutputs extends Record<string, unknown> {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
  readonly json?: unknown;
  readonly duration_ms: number;
}

/** The request body and the headers that go with it: `json` adds a JSON content-type unless one is given. */
function encodeBody(input: HttpRequestInput, method: string): { body?: string; headers: Record<string, string> } {
  const headers = { ...input.headers };
  if (input.json !== undefined && input.body !== undefined) {
    throw new StepError('http.bad_input', 'Give either `json` or `body` to http.request, not both');
  }
  const hasBody = input.json !== undefined || input.body !== undefined;
  if (hasBody && (method === 'GET' || method === 'HEAD')) {
    throw new StepError('http.bad_input', `A ${method} request cannot have a body: use method: POST (or PUT, PATCH) to send \`json\` or \`body\``);
  }
  if (input.json === undefined) return { body: input.body, headers };
  const hasContentType = Object.keys(headers).some((name) => name.toLowerCase() === 'content-type');
  if (!hasContentType) headers['content-type'] = 'application/json';
  return { body: JSON.stringify(input.json), headers };
}

/** The response's JSON value, or undefined when it is not JSON (a JSON type with a broken body is logged). */
function decodeJson(response: Incoming, ctx: StepContext): { json?: unknown } {
  if (!isJsonType(response.contentType) || response.body === '') return {};
  try {
    return { json: JSON.parse(response.body) as unknown };
  } catch (error) {
    ctx.log('info', `response has content-type ${response.contentType} but its body is not JSON (${(error as Error).message}): no json output`);
    return {};
  }
}

function checkStatus(response: Incoming, expected: number | readonly number[] | undefined, target: string): void {
  if (expected === undefined) return;
  const allowed = typeof expected === 'number' ? [expected] : expected;
  if (allowed.includes(response.status)) return;
  const body = response.body === '' ? '' : `: ${excerpt(response.body)}`;
  throw new StepError('http.status', `Expected status ${allowed.join(' or ')} from ${target}; got ${response.status}${body}`, {
    status: response.status,
    expected: allowed,
    body: response.body,
  });
}

async function runRequest(input: HttpRequestInput, ctx: StepContext): Promise<HttpRequestOutputs> {
  const url = parseHttpUrl(input.url);
  const method = (input.method ?? 'GET').toUpperCase();
  const { body, headers } = encodeBody(input, method);
  const response = await send({ method, url, headers, body, timeoutMs: input.timeout }, ctx.signal);
  checkStatus(response, input.expect_status, `${method} ${url.href}`);
  const { status, body: text, durationMs } = response;
  return { status, headers: response.headers, body: text, ...decodeJson(response, ctx), duration_ms: durationMs };
}

/** Sends one HTTP request with Node's fetch; a JSON response is decoded into the `json` output. */
export const httpRequest: StepType<HttpRequestInput, HttpRequestOutputs> = {
  type: 'http.request',
  description: 'Sends an HTTP request and returns the status, headers and body of the response (JSON decoded).',
  input: {
    type: 'object',
    additionalProperties: false,
    required: ['url'],
    properties: {
      url: { type: 'string', minLength: 1, description: 'The http: or https: URL to request.' },
      method: { enum: [...HTTP_METHODS], default: 'GET', description: 'The HTTP method.' },
      headers: {
        type: 'object',
        additionalProperties: { type: 'string' },
        description: 'Request headers, by name.',
      },
      json: { description: 'A value sent as the JSON body, with content-type: application/json unless `headers` sets one.' },
      body: { type: 'string', description: 'A text body, sent as is (not with `json`).' },
      timeout: { type: 'integer', minimum: 1, maximum: 2147483647, description: 'Milliseconds the whole exchange may take, body included; none by default.' },
      expect_status: {
        description: 'The status, or list of statuses, the response must have; any other fails the step. By default any status is accepted.',
        oneOf: [
          { type: 'integer', minimum: 100, maximum: 599 },
          { type: 'array', minItems: 1, items: { type: 'integer', minimum: 100, maximum: 599 } },
        ],
      },
    },
  },
  output: {
    type: 'object',
    properties: {
      status: { type: 'integer', description: 'The response status.' },
      headers: { type: 'object', description: 'Response headers with lower-case names; repeated ones joined with ", ".' },
      body: { type: 'string', description: 'The response body as text.' },
      json: { description: 'The decoded body, when the response content-type is JSON.' },
      duration_ms: { type: 'integer', description: 'Milliseconds from sending the request to the end of the body.' },
    },
  },
  run: runRequest,
};
