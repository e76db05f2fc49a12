import { endpoints, ErrorResponse, type AuditQuery, isBinaryAnswer, type Endpoint, type EndpointInput, type EndpointName, type EndpointOutput } from '@enclave/protocol';
import { EnclaveApiError } from './errors';
import { EnclaveStream, type SocketFactory, type StreamOptions } from './stream';

export interface ClientOptions {
  /** Where the server is, e.g. `http://127.0.0.1:8080`; empty for the page's own origin in a browser. */
  baseUrl: string;
  /** A bearer token; leave it out when the session rides in the browser's HttpOnly cookie. */
  token?: string;
  /** Sent as Accept-Language so that error messages come back in the reader's language. */
  locale?: string;
  fetch?: typeof fetch;
}

type CallArgs<N extends EndpointName> = {} extends EndpointInput<N> ? [input?: EndpointInput<N>] : [input: EndpointInput<N>];

/** The typed client that the web client, the CLI, the tests and the benchmark all share. */
export class EnclaveClient {
  private token: string | undefined;
  private locale: string | undefined;
  private readonly fetchImpl: typeof fetch;

  constructor(private readonly options: ClientOptions) {
    this.token = options.token;
    this.locale = options.locale;
    this.fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
  }

  get baseUrl(): string {
    return this.options.baseUrl;
  }

  get currentToken(): string | undefined {
    return this.token;
  }

  setToken(token: string | undefined): void {
    this.token = token;
  }

  /** Later calls (and streams opened later) ask for error messages in this language. */
  setLocale(locale: string | undefined): void {
    this.locale = locale;
  }

  /**
   * The function that calls one endpoint of the protocol's table: `client.endpoint('sendMessage')(input)`; it
   * throws EnclaveApiError on any error answer. Curried on purpose: the endpoint's name is fixed before its input
   * is checked, so TypeScript does not infer the name from the input at every call site (that made the whole type
   * check take six minutes).
   */
  endpoint<N extends EndpointName>(name: N): (...args: CallArgs<N>) => Promise<EndpointOutput<N>> {
    const endpoint = (endpoints as Record<EndpointName, Endpoint>)[name];
    return (...args) => this.request(endpoint, (args as unknown[])[0]) as Promise<EndpointOutput<N>>;
  }

  private async request(endpoint: Endpoint, rawInput: unknown): Promise<unknown> {
    const input = (rawInput ?? {}) as { params?: Record<string, string>; query?: Record<string, unknown>; body?: unknown };
    const path = endpoint.path.replace(/:(\w+)/g, (_, key: string) => encodeURIComponent(String(input.params?.[key] ?? '')));
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(input.query ?? {})) {
      if (value !== undefined && value !== null) search.set(key, String(value));
    }
    const query = search.size > 0 ? `?${search}` : '';
    const headers = this.headers();
    let body: string | undefined;
    if (input.body !== undefined || (endpoint.method !== 'GET' && endpoint.method !== 'DELETE')) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(input.body ?? {});
    }
    const response = await this.fetchImpl(`${this.options.baseUrl}${path}${query}`, {
      method: endpoint.method,
      headers,
      body,
      credentials: 'same-origin',
    });
    if (response.ok && isBinaryAnswer(endpoint.produces)) return new Uint8Array(await response.arrayBuffer());
    if (response.ok && endpoint.produces) return response.text();
    return readJson(response);
  }

  /**
   * Uploads a file into a room (the uploadFile endpoint, as multipart/form-data); a message then carries it by
   * its id in `fileIds`. The label field goes first so the server knows it before the bytes arrive.
   */
  async uploadFile(roomId: string, file: Blob, options: { name: string; label?: string }): Promise<EndpointOutput<'uploadFile'>> {
    const form = new FormData();
    if (options.label) form.append('label', options.label);
    form.append('file', file, options.name);
    const response = await this.fetchImpl(`${this.options.baseUrl}${endpoints.uploadFile.path.replace(':roomId', encodeURIComponent(roomId))}`, {
      method: 'POST',
      headers: this.headers(),
      body: form,
      credentials: 'same-origin',
    });
    return readJson(response) as Promise<EndpointOutput<'uploadFile'>>;
  }

  /** Where a file's bytes are, for an `<img>`, a link or a viewer: the browser's cookie session authorises it. */
  fileContentUrl(fileId: string, disposition: 'inline' | 'attachment'): string {
    return `${this.options.baseUrl}/api/v1/files/${encodeURIComponent(fileId)}/content?disposition=${disposition}`;
  }

  /** The same for a held message's file, opened by the compliance officer deciding on it. */
  heldFileContentUrl(reviewId: string, fileId: string, disposition: 'inline' | 'attachment'): string {
    return `${this.options.baseUrl}/api/v1/compliance/reviews/${encodeURIComponent(reviewId)}/files/${encodeURIComponent(fileId)}/content?disposition=${disposition}`;
  }

  /** The same for a file of a compliance search record, opened by a compliance officer (audited). */
  recordFileContentUrl(recordId: string, fileId: string, disposition: 'inline' | 'attachment'): string {
    return `${this.options.baseUrl}/api/v1/compliance/records/${encodeURIComponent(recordId)}/files/${encodeURIComponent(fileId)}/content?disposition=${disposition}`;
  }

  /** Where the audit log's CSV export is, filtered, for a download link (compliance officers). */
  auditExportUrl(filter: AuditQuery): string {
    const query = new URLSearchParams(Object.entries(filter).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
    const search = query.toString();
    return `${this.options.baseUrl}${endpoints.exportAudit.path}${search ? `?${search}` : ''}`;
  }

  /** Where the audit checkpoints file is, for a download link (compliance officers). */
  auditCheckpointsFileUrl(): string {
    return `${this.options.baseUrl}${endpoints.auditCheckpointsFile.path}`;
  }

  private headers(): Record<string, string> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    if (this.locale) headers['accept-language'] = this.locale;
    return headers;
  }

  /** Signs in; the token (if not a cookie session) is kept for later calls. */
  async login(username: string, password: string, useCookie = false): Promise<EndpointOutput<'login'>> {
    const result = await this.endpoint('login')({ body: { username, password, useCookie } });
    if (result.token) this.token = result.token;
    return result;
  }

  /** Opens the real-time stream with this client's credentials. */
  stream(options: Omit<StreamOptions, 'url' | 'token'> & { socketFactory: SocketFactory }): EnclaveStream {
    const url = streamUrl(this.options.baseUrl);
    return new EnclaveStream({ locale: () => this.locale, ...options, url, token: this.token });
  }
}

function streamUrl(baseUrl: string): string {
  const pageOrigin = (globalThis as { location?: { origin: string } }).location?.origin ?? '';
  const origin = baseUrl || pageOrigin;
  return `${origin.replace(/^http/, 'ws')}/api/v1/stream`;
}

async function readJson(response: Response): Promise<unknown> {
  const payload: unknown = await response.json().catch(() => undefined);
  if (!response.ok) throw toApiError(response.status, payload);
  return payload;
}

function toApiError(status: number, payload: unknown): EnclaveApiError {
  const parsed = ErrorResponse.safeParse(payload);
  if (parsed.success) {
    const { code, message, data } = parsed.data.error;
    return new EnclaveApiError(code, message, status, data);
  }
  return new EnclaveApiError('INTERNAL', `Unexpected answer from the server (HTTP ${status})`, status);
}
