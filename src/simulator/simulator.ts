// An embedded MetaStudio: a real HTTP server on a loopback port that checks
// AK/SK signatures and parameters the way the API gateway and MetaStudio do,
// serves realistic job histories, and misbehaves on demand.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { canonicalRequest, signature, SIGNING_ALGORITHM, type Credentials } from '../upstream/signer.js';
import { JOB_HISTORIES, type WireOperation } from './histories.js';
import { auditResultOf, jobInfoOf, listPage, parseListQuery, type WireJobInfo } from './jobCatalogue.js';
import { liveJobHistory, parseLiveJobId } from './liveJob.js';

/** The voice-training endpoints it serves. */
export type Route = 'op-logs' | 'jobs' | 'job' | 'audit-result';

export type Fault =
  | { kind: 'status'; status: number; errorCode?: string; errorMsg?: string; retryAfterSeconds?: number }
  | { kind: 'non-json'; status?: number }
  | { kind: 'wrong-shape' }
  | { kind: 'reset' }
  | { kind: 'delay'; ms: number }
  /** The normal answer once `until` settles: a test, not a timer, decides how long a call stays in flight. */
  | { kind: 'hold'; until: Promise<unknown> }
  | { kind: 'hang' };

export interface InjectOptions {
  /** Only requests for this job; any job when absent. */
  jobId?: string;
  /** Only requests to this endpoint; any when absent. */
  route?: Route;
  /** How many matching requests get the fault; every one when absent. */
  times?: number;
}

export interface RecordedRequest {
  route: Route;
  /** '' for the job list. */
  jobId: string;
  offset: string | null;
  limit: string | null;
  /** The status answered; 0 when the connection was reset or left hanging. */
  status: number;
  headers: IncomingMessage['headers'];
  path: string;
  /** performance.now() when the request arrived. */
  receivedAt: number;
}

export interface SimulatorOptions {
  port?: number;
  host?: string;
  credentials?: Credentials;
  projectId?: string;
  /** Added before every answer, to imitate a remote API. */
  latencyMs?: number;
  /** Keep every request in `requests` (for tests). Off for long-running use. Default true. */
  recordRequests?: boolean;
  /** Chaos: this share of requests (0-1) gets one of `faults`, picked at random. */
  randomFaults?: { rate: number; faults: readonly Fault[] };
  /** Extra histories, e.g. a test's own fixtures. */
  histories?: ReadonlyMap<string, readonly WireOperation[]>;
  /**
   * Epoch ms now, for live jobs (`live-<stepMs>-<name>`); Date.now by default.
   * Signatures are always checked against the real clock, as clients sign with it.
   */
  now?: () => number;
  /**
   * Whether the job list, asked with X-App-UserId, holds only that user's jobs, as
   * MetaStudio's does. Default true; false stands for a MetaStudio that does not filter.
   */
  filtersByAppUser?: boolean;
}

/** Built-in fault jobs, so people can see error handling in GraphiQL without code. */
const FAULT_JOBS: Record<string, Fault> = {
  'fault-400': { kind: 'status', status: 400, errorCode: 'MSS.00000003', errorMsg: 'Invalid parameter' },
  'fault-401': {
    kind: 'status',
    status: 401,
    errorCode: 'APIGW.0301',
    errorMsg: 'Incorrect IAM authentication information: verify aksk signature fail',
  },
  'fault-403': {
    kind: 'status',
    status: 403,
    errorCode: 'APIGW.0302',
    errorMsg: 'The IAM user is not authorized to access the API',
  },
  'fault-429': {
    kind: 'status',
    status: 429,
    errorCode: 'APIGW.0308',
    errorMsg: 'The throttling threshold has been reached: policy user over ratelimit,limit:20,time:1 second',
    retryAfterSeconds: 1,
  },
  'fault-500': { kind: 'status', status: 500, errorCode: 'MSS.00000001', errorMsg: 'Internal server error' },
  'fault-503': { kind: 'status', status: 503, errorCode: 'APIGW.0202', errorMsg: 'The API is unavailable' },
  'fault-non-json': { kind: 'non-json' },
  'fault-wrong-shape': { kind: 'wrong-shape' },
  'fault-reset': { kind: 'reset' },
};

export const FAULT_JOB_IDS = Object.keys(FAULT_JOBS);

const SDK_DATE_SKEW_MS = 15 * 60_000;
const LOCK_AFTER_FAILURES = 5;
const LOCK_MS = 5 * 60_000;
const ROUTE = /^\/v1\/([^/]+)\/voice-training-manage\/user\/jobs(?:\/([^/]+)(\/op-logs|\/audit-result)?)?$/;

interface Injected {
  fault: Fault;
  jobId: string | undefined;
  route: Route | undefined;
  remaining: number;
}

/** A malformed 200 body of each endpoint. */
const WRONG_SHAPES: Record<Route, unknown> = {
  'op-logs': { count: '7', operations: { time: 'yesterday' } },
  jobs: { count: '7', jobs: { job_id: 'x' } },
  // Some fields wrong, others fine: only the fields that need the wrong ones fail.
  job: { job_id: 42, voice_name: 'Malformed', state: ['SUCCEED'], create_time: 'yesterday', reject_times: -1 },
  'audit-result': { system_audit_result: 'passed', admin_audit_result: { message: 7 } },
};

export class Simulator {
  readonly credentials: Credentials;
  readonly projectId: string;
  /** Every request that reached one of its routes, in arrival order. */
  readonly requests: RecordedRequest[] = [];
  /** How many requests reached its routes, kept even when `recordRequests` is off. */
  requestCount = 0;
  /** Most requests it was answering at one time since the last reset. */
  peakInFlight = 0;
  latencyMs: number;

  private readonly server: Server;
  private readonly histories: ReadonlyMap<string, readonly WireOperation[]>;
  /** When each live job was first asked for; kept across reset() so a job never goes back. */
  private readonly liveStarts = new Map<string, number>();
  private readonly now: () => number;
  private injected: Injected[] = [];
  private catalogue: WireJobInfo[] | undefined;
  private inFlight = 0;
  private signatureFailures = 0;
  private lockedUntil = 0;
  private port = 0;

  constructor(private readonly options: SimulatorOptions = {}) {
    this.credentials = options.credentials ?? {
      accessKey: `SIM${randomBytes(8).toString('hex').toUpperCase()}`,
      secretKey: randomBytes(20).toString('hex'),
    };
    this.projectId = options.projectId ?? randomBytes(16).toString('hex');
    this.latencyMs = options.latencyMs ?? 0;
    this.histories = new Map([...JOB_HISTORIES, ...(options.histories ?? [])]);
    this.now = options.now ?? Date.now;
    this.server = createServer((req, res) => {
      this.inFlight += 1;
      this.peakInFlight = Math.max(this.peakInFlight, this.inFlight);
      // 'close' fires however the exchange ends: answered, reset, or abandoned by the client.
      res.once('close', () => (this.inFlight -= 1));
      this.handle(req, res).catch(() => res.destroy());
    });
    // Keep idle sockets longer than clients do, as real load balancers tend to.
    this.server.keepAliveTimeout = 65_000;
  }

  get url(): string {
    return `http://${this.options.host ?? '127.0.0.1'}:${this.port}`;
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port ?? 0, this.options.host ?? '127.0.0.1', resolve);
    });
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  inject(fault: Fault, options: InjectOptions = {}): void {
    this.injected.push({
      fault,
      jobId: options.jobId,
      route: options.route,
      remaining: options.times ?? Number.POSITIVE_INFINITY,
    });
  }

  /** Forgets recorded requests, injected faults and signature failures. */
  reset(): void {
    this.requests.length = 0;
    this.requestCount = 0;
    this.peakInFlight = 0;
    this.injected = [];
    this.signatureFailures = 0;
    this.lockedUntil = 0;
  }

  private takeFault(jobId: string, route: Route): Fault | undefined {
    const match = this.injected.find(
      (i) =>
        i.remaining > 0 && (i.jobId === undefined || i.jobId === jobId) && (i.route === undefined || i.route === route),
    );
    if (match) {
      match.remaining -= 1;
      return match.fault;
    }
    const chaos = this.options.randomFaults;
    if (chaos && chaos.faults.length > 0 && Math.random() < chaos.rate) {
      return chaos.faults[Math.floor(Math.random() * chaos.faults.length)];
    }
    return FAULT_JOBS[jobId];
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = randomBytes(16).toString('hex');
    res.setHeader('X-Request-Id', requestId);
    const receivedAt = performance.now();
    const url = new URL(req.url ?? '/', 'http://simulator');
    const route = ROUTE.exec(url.pathname);
    if (req.method !== 'GET' || !route) {
      return sendJson(res, 404, {
        error_code: 'APIGW.0101',
        error_msg: 'The API does not exist or has not been published in the environment',
      });
    }
    const projectSegment = decodeSegment(route[1]!);
    const jobId = route[2] === undefined ? '' : (decodeSegment(route[2]) ?? route[2]);
    const endpoint: Route =
      route[2] === undefined
        ? 'jobs'
        : route[3] === undefined
          ? 'job'
          : route[3] === '/op-logs'
            ? 'op-logs'
            : 'audit-result';
    const record = (status: number) => {
      this.requestCount += 1;
      if (this.options.recordRequests === false) return;
      this.requests.push({
        route: endpoint,
        jobId,
        offset: url.searchParams.get('offset'),
        limit: url.searchParams.get('limit'),
        status,
        headers: req.headers,
        path: req.url ?? '',
        receivedAt,
      });
    };

    const authProblem = this.verifySignature(req, url);
    if (authProblem) {
      record(401);
      return sendJson(res, 401, {
        error_code: 'APIGW.0301',
        error_msg: `Incorrect IAM authentication information: ${authProblem}`,
      });
    }
    if (projectSegment !== this.projectId || req.headers['x-project-id'] !== this.projectId) {
      record(403);
      return sendJson(res, 403, {
        error_code: 'APIGW.0302',
        error_msg: 'The project is not accessible with these credentials',
      });
    }

    const offset = parseIntParam(url.searchParams.get('offset'), 0, 0, 2147483647);
    const limit = parseIntParam(url.searchParams.get('limit'), 10, 1, 100);
    const listQuery = endpoint === 'jobs' ? parseListQuery(url.searchParams) : null;
    if (offset === null || limit === null || typeof listQuery === 'string') {
      record(400);
      const name = typeof listQuery === 'string' ? listQuery : offset === null ? 'offset' : 'limit';
      return sendJson(res, 400, { error_code: 'MSS.00000003', error_msg: `Invalid parameter: ${name}` });
    }
    // A third-party user sees only their own jobs; op-logs and the audit result take no such header.
    const appUserId = endpoint === 'jobs' || endpoint === 'job' ? headerValue(req, 'x-app-userid') : undefined;

    const live = endpoint === 'jobs' || this.histories.has(jobId) ? null : parseLiveJobId(jobId);
    if (live && !this.liveStarts.has(jobId)) this.liveStarts.set(jobId, this.now());

    const fault = this.takeFault(jobId, endpoint);
    if (this.latencyMs > 0) await sleep(this.latencyMs);

    if (fault) {
      switch (fault.kind) {
        case 'status':
          record(fault.status);
          if (fault.retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(fault.retryAfterSeconds));
          return sendJson(res, fault.status, {
            error_code: fault.errorCode ?? 'MSS.00000001',
            error_msg: fault.errorMsg ?? 'Simulated failure',
          });
        case 'non-json':
          record(fault.status ?? 200);
          res.writeHead(fault.status ?? 200, { 'Content-Type': 'text/html' });
          res.end('<html><body>502 Bad Gateway</body></html>');
          return;
        case 'wrong-shape':
          record(200);
          return sendJson(res, 200, WRONG_SHAPES[endpoint]);
        case 'reset':
          record(0);
          req.socket.destroy();
          return;
        case 'hang':
          record(0);
          return; // never answers; the client's timeout must end it
        case 'delay':
          // Then the normal answer, which records the request.
          await sleep(fault.ms);
          break;
        case 'hold':
          await fault.until.catch(() => undefined);
          break;
      }
    }

    if (listQuery) {
      // The listed histories never change: their records are made once.
      this.catalogue ??= [...this.histories].map(([id, history]) => jobInfoOf(id, history));
      const jobs = this.catalogue;
      const filtered = appUserId !== undefined && this.options.filtersByAppUser !== false;
      const visible = filtered ? jobs.filter((job) => job.app_user_id === appUserId) : jobs;
      record(200);
      return sendJson(res, 200, listPage(visible, listQuery));
    }
    const history = live ? liveJobHistory(live, this.liveStarts.get(jobId)!, this.now()) : this.histories.get(jobId);
    const info = history && endpoint === 'job' ? jobInfoOf(jobId, history) : undefined;
    if (!history || (info && appUserId !== undefined && info.app_user_id !== appUserId)) {
      record(404);
      return sendJson(res, 404, { error_code: 'MSS.00000004', error_msg: `Job ${jobId} does not exist` });
    }
    record(200);
    if (info) return sendJson(res, 200, info);
    if (endpoint === 'audit-result') return sendJson(res, 200, auditResultOf(jobId, history));
    sendJson(res, 200, { count: history.length, operations: history.slice(offset, offset + limit) });
  }

  /** Returns why the signature is refused, or null when it is good. */
  private verifySignature(req: IncomingMessage, url: URL): string | null {
    const now = Date.now();
    if (now < this.lockedUntil) return 'the AK is locked after repeated signature failures';
    const problem = this.signatureProblem(req, url, now);
    if (problem) {
      this.signatureFailures += 1;
      if (this.signatureFailures > LOCK_AFTER_FAILURES) this.lockedUntil = now + LOCK_MS;
    } else {
      this.signatureFailures = 0;
    }
    return problem;
  }

  private signatureProblem(req: IncomingMessage, url: URL, now: number): string | null {
    const auth = /^(\S+) Access=([^,]+), SignedHeaders=([^,]+), Signature=([0-9a-f]+)$/.exec(
      req.headers.authorization ?? '',
    );
    if (!auth) return 'missing or malformed Authorization header';
    const [, algorithm, accessKey, signedHeaderList, given] = auth as unknown as [
      string,
      string,
      string,
      string,
      string,
    ];
    if (algorithm !== SIGNING_ALGORITHM) return 'unsupported signing algorithm';
    if (accessKey !== this.credentials.accessKey) return 'unknown AK';
    const signed = signedHeaderList.split(';');
    if (!signed.includes('host') || !signed.includes('x-sdk-date')) return 'host and x-sdk-date must be signed';
    const sdkDate = headerValue(req, 'x-sdk-date');
    const dateMs = sdkDate ? parseSdkDate(sdkDate) : null;
    if (dateMs === null) return 'missing or malformed X-Sdk-Date';
    if (Math.abs(now - dateMs) > SDK_DATE_SKEW_MS) return 'X-Sdk-Date is more than 15 minutes off';
    // A header that changes the answer must be signed, or anyone on the path could change it.
    if (headerValue(req, 'x-app-userid') !== undefined && !signed.includes('x-app-userid')) {
      return 'x-app-userid must be signed';
    }
    if (this.credentials.securityToken) {
      // As the SDKs do, the token must be sent and signed.
      if (!signed.includes('x-security-token')) return 'x-security-token must be signed';
      if (headerValue(req, 'x-security-token') !== this.credentials.securityToken) return 'invalid security token';
    }

    const headers: Record<string, string> = {};
    for (const name of signed) {
      if (name === 'host' || name === 'x-sdk-date') continue;
      const value = headerValue(req, name);
      if (value === undefined) return `signed header ${name} is missing`;
      headers[name] = value;
    }
    const segments = url.pathname
      .split('/')
      .slice(1)
      .map((s) => decodeSegment(s) ?? s);
    const { text, signedHeaders } = canonicalRequest({
      method: req.method ?? 'GET',
      host: headerValue(req, 'host') ?? '',
      pathSegments: segments,
      query: Object.fromEntries(url.searchParams),
      headers,
      sdkDate: sdkDate!,
    });
    if (signedHeaders !== signedHeaderList) return 'SignedHeaders is not sorted or has duplicates';
    const expected = Buffer.from(signature(this.credentials.secretKey, sdkDate!, text));
    const actual = Buffer.from(given);
    if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return 'verify aksk signature fail';
    return null;
  }
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  return new Simulator(options).start();
}

function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

function decodeSegment(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

function parseSdkDate(value: string): number | null {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return null;
  const [, y, mo, d, h, mi, s] = m.map(Number) as number[];
  return Date.UTC(y!, mo! - 1, d!, h!, mi!, s!);
}

/** The upstream's rule: absent means the default; anything but an in-range integer is refused. */
function parseIntParam(raw: string | null, fallback: number, min: number, max: number): number | null {
  if (raw === null) return fallback;
  if (!/^\d{1,10}$/.test(raw)) return null;
  const value = Number(raw);
  return value >= min && value <= max ? value : null;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json;charset=UTF-8',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
