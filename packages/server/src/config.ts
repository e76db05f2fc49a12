import { readFileSync } from 'node:fs';
import path from 'node:path';
import proxyAddr from '@fastify/proxy-addr';
import { RecordsQuery } from '@enclave/protocol';
import { z } from 'zod';
import { checkPasswordStrength, describeProblem } from './auth/password-strength';

const Port = z.coerce.number().int().min(0).max(65535);
const Milliseconds = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

/**
 * Addresses or CIDRs (and proxy-addr's names `loopback`, `linklocal`, `uniquelocal`), comma-separated in the
 * environment or a list in the config file. Each entry is checked with the library that will apply it, so a typo
 * stops the start instead of silently trusting nobody, or the wrong network.
 */
const TrustedProxyList = z
  .union([z.string(), z.array(z.string())])
  .transform((value) => (Array.isArray(value) ? value : value.split(',')).map((entry) => entry.trim()).filter((entry) => entry !== ''))
  .superRefine((entries, context) => {
    for (const entry of entries) {
      try {
        proxyAddr.compile(entry);
      } catch {
        context.addIssue({ code: 'custom', message: `not an IP address or CIDR: ${entry}` });
      }
    }
  });

/** A JSON setting arrives as text from the environment; text that is not JSON is left for the schema to refuse. */
function jsonFromEnvironment(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/** Every setting Enclave reads. Environment variables win over the optional JSON config file. */
const ConfigSchema = z.object({
  port: Port.default(8080),
  host: z.string().min(1).default('127.0.0.1'),
  dataDir: z.string().min(1).default('./data'),
  /**
   * Where uploaded files are kept; unset means `files` in the data directory. Nodes sharing one database must
   * share this directory too (a network mount).
   */
  filesDir: z.string().min(1).optional(),
  /** postgres://… switches storage to PostgreSQL; unset means embedded SQLite in the data directory. */
  databaseUrl: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional(),
  /**
   * nats://… links this node to the others of the installation through NATS (cluster/cluster-link.ts); it needs
   * `databaseUrl`, the database every node shares. A user and password (or a token) go in the URL; several servers
   * of a NATS cluster are separated by commas (cluster/nats-url.ts). Unset: a single node.
   */
  natsUrl: z
    .string()
    .refine((urls) => urls.split(',').every((url) => /^(nats|tls):\/\/[^\s]+$/.test(url.trim()) && URL.canParse(url.trim())), 'must start with nats:// or tls:// (several separated by commas)')
    .optional(),
  adminUsername: z.string().min(2).max(32).default('admin'),
  /**
   * The first admin's password. It must pass the password policy at its default minimum length, as every password
   * does; checked here so a weak one stops the start with a clear message rather than a refused first sign-in.
   */
  adminPassword: z
    .string()
    .superRefine((password, context) => {
      const problem = checkPasswordStrength(password);
      if (problem) context.addIssue({ code: 'custom', message: describeProblem(problem) });
    })
    .optional(),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** log2 of scrypt's cost; 15 is the production strength. Lower values only make sense in tests. */
  passwordHashCost: z.coerce.number().int().min(10).max(20).default(15),
  /** Where the built web client lives; unset serves no web client (an API-only node). */
  webRoot: z.string().optional(),
  /** Largest request body in bytes. */
  bodyLimit: z.coerce.number().int().min(1024).max(50 * 1024 * 1024).default(256 * 1024),
  sessionDays: z.coerce.number().int().min(1).max(365).default(30),
  /** Sign-in attempts one address may make a minute; raise it when many people share one address. */
  loginAttemptsPerMinute: z.coerce.number().int().min(1).max(100_000).default(30),
  /** Open streams (WebSocket connections) one person may hold at once; the newest one over the cap is closed. */
  streamMaxPerUser: z.coerce.number().int().min(1).max(10_000).default(20),
  /**
   * Open streams from one client address, signed in or not; generous because many people can share one address
   * behind a NAT or proxy.
   */
  streamMaxPerAddress: z.coerce.number().int().min(1).max(1_000_000).default(500),
  /**
   * Frames a stream may send per second, sustained, with ten seconds' worth allowed in a burst (a frame counts once
   * plus once per 4 KiB); a client that goes faster is closed. A person typing and sending stays far below it.
   */
  streamFramesPerSecond: z.coerce.number().int().min(1).max(100_000).default(50),
  /**
   * Milliseconds one CPU-heavy step (tokenising or DLP-scanning long text) may run on a worker thread; past it
   * the content counts as unreadable, so DLP rules that apply treat it as matching.
   */
  cpuWorkTimeoutMs: z.coerce.number().int().min(1).max(600_000).default(5_000),
  /**
   * Milliseconds extracting one upload's text may take, waiting for a free extraction thread included; what is
   * not read by then counts as unreadable. Raise it on slow or busy machines that share long documents.
   */
  textExtractionTimeoutMs: z.coerce.number().int().min(100).max(600_000).default(5_000),
  /**
   * Minutes between two runs of the retention purge (retention/); `0` runs it only when an officer asks (the
   * console's "Purge now" or `enclave retention purge`).
   */
  retentionPurgeIntervalMinutes: z.coerce.number().int().min(0).max(10_080).default(60),
  /**
   * Fingerprints of messages and files (provenance/): `off` only to measure what they cost (the benchmark's
   * baseline); with them off, copies of labelled content are not recognised.
   */
  fingerprints: z.enum(['on', 'off']).default('on'),
  /** An older version's secret key (base64 of 32 bytes), adopted once as the `secrets` data key (crypto/secret-key.ts). */
  secretKey: z.string().optional(),
  /**
   * The master key that wraps the data keys (keys/): base64 of 32 bytes, or a key file's path; unset means
   * `master.key` in the data directory, generated on the first start. Never stored in the database or a backup.
   */
  masterKey: z.string().optional(),
  masterKeyFile: z.string().optional(),
  /**
   * The Ed25519 key that signs audit checkpoints and export manifests (audit/audit-signing-key.ts): a PEM file's
   * path; unset means `audit-signing.key` in the data directory, generated on the first start. Never in the database.
   */
  auditKeyFile: z.string().optional(),
  /**
   * Signed audit checkpoints (audit/audit-checkpointer.ts): one after this many new entries or this many minutes,
   * whichever comes first (and only when there are new entries), appended to a file outside the database as well:
   * `audit-checkpoints.jsonl` in the data directory unless moved here. Copy that file elsewhere on a schedule.
   */
  auditCheckpointEntries: z.coerce.number().int().min(1).max(1_000_000).default(100),
  auditCheckpointMinutes: z.coerce.number().int().min(1).max(24 * 60).default(10),
  auditCheckpointsFile: z.string().optional(),
  /** Encryption of content at rest: `off` only to measure what it costs (the benchmark's baseline). */
  encryption: z.enum(['on', 'off']).default('on'),
  /**
   * The origin people reach this server at (https://chat.example.com), used in invite links and their QR codes;
   * unset means the origin each request came to.
   */
  publicUrl: z
    .url({ protocol: /^https?$/ })
    .transform((url) => url.replace(/\/+$/, ''))
    .optional(),
  /**
   * The reverse proxies (TLS terminators, load balancers) whose X-Forwarded-For and X-Forwarded-Proto are believed;
   * empty trusts nobody, so a client cannot claim another address or https by sending those headers itself.
   */
  trustProxy: TrustedProxyList.default([]),
  /** How long a client may take to send a request's headers; a connection that sends none is closed as well. */
  headersTimeoutMs: Milliseconds(1000, 120_000).default(10_000),
  /**
   * How long a connection may stay silent, in either direction, before it is closed. This is the body timeout: an
   * upload that keeps sending, however slowly, is never cut off by it; one that stalls is. Streams are exempt.
   */
  idleTimeoutMs: Milliseconds(1000, 600_000).default(30_000),
  /**
   * The longest a whole request may take to arrive, a backstop against bodies trickled in just under the idle
   * timeout. The default lets a file at the 1 GiB ceiling through at about 1.2 Mbit/s; 0 turns it off.
   */
  requestTimeoutMs: Milliseconds(0, 24 * 3_600_000)
    .refine((ms) => ms === 0 || ms >= 60_000, 'must be 0 (off) or at least 60000')
    .default(2 * 3_600_000),
  /**
   * A directory the scheduled eDiscovery export writes into, once a day, for an archive system to collect from
   * (ediscovery/daily-export.ts); unset means no scheduled export. Set by the operator, never through the API, so
   * nobody signed in can make the server write elsewhere.
   */
  dailyExportDir: z.string().min(1).optional(),
  /** When the scheduled export of the previous UTC day runs, HH:MM in UTC. */
  dailyExportTime: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM, in UTC').default('01:00'),
  /**
   * What the scheduled export covers of each day, as a records query without dates (custodianIds, roomIds, label,
   * hasFile): JSON in the environment. Unset means every record of the day.
   */
  dailyExportQuery: z.preprocess(jsonFromEnvironment, RecordsQuery.omit({ from: true, to: true, words: true }).strict()).default({ custodianIds: [], roomIds: [] }),
  /** How long an idle kept-alive connection waits for the next request; keep it above a proxy's own idle timeout. */
  keepAliveTimeoutMs: Milliseconds(1000, 600_000).default(5_000),
  /** Prometheus metrics at `GET /metrics` (metrics/): off by default, so a node shows nothing it was not asked to. */
  metrics: z.enum(['on', 'off']).default('off'),
  /**
   * A token the scraper must send as `Authorization: Bearer …` to read the metrics; unset leaves them open to
   * whoever reaches the port (bind to a private address or filter at the proxy then).
   */
  metricsToken: z.string().min(16, 'at least 16 characters').optional(),
  /**
   * The organisation's SMTP server that e-mail notifications go through (email-notifications/); unset means no
   * e-mail at all. Set by the operator, never through the API, like the password below, which is never logged or
   * answered by any endpoint.
   */
  smtpHost: z.string().min(1).optional(),
  /** Unset: 465 with `tls`, 587 with `starttls`, 25 with `none`. */
  smtpPort: Port.optional(),
  /**
   * `tls`: TLS from the first byte (port 465); `starttls`: the connection must be upgraded with STARTTLS before
   * anything is sent; `none`: plain SMTP, only for a relay on the same machine or a network the organisation trusts.
   */
  smtpSecurity: z.enum(['tls', 'starttls', 'none']).default('starttls'),
  smtpUser: z.string().min(1).optional(),
  smtpPassword: z.string().min(1).optional(),
  /** The sender of every e-mail: an address, or a name and address (`Enclave <chat@example.com>`). */
  smtpFrom: z
    .string()
    .regex(/^(?:[^<>]*<[^\s@<>]+@[^\s@<>]+>|[^\s@<>]+@[^\s@<>]+)$/, 'an address (chat@example.com) or a name and address (Enclave <chat@example.com>)')
    .optional(),
});
export type Config = z.infer<typeof ConfigSchema> & { filesDir: string };
export type ConfigInput = z.input<typeof ConfigSchema>;

const environmentNames: Record<keyof Config, string> = {
  port: 'PORT',
  host: 'HOST',
  dataDir: 'ENCLAVE_DATA_DIR',
  filesDir: 'ENCLAVE_FILES_DIR',
  databaseUrl: 'DATABASE_URL',
  natsUrl: 'ENCLAVE_NATS_URL',
  adminUsername: 'ENCLAVE_ADMIN_USERNAME',
  adminPassword: 'ENCLAVE_ADMIN_PASSWORD',
  logLevel: 'ENCLAVE_LOG_LEVEL',
  passwordHashCost: 'ENCLAVE_PASSWORD_HASH_COST',
  webRoot: 'ENCLAVE_WEB_ROOT',
  bodyLimit: 'ENCLAVE_BODY_LIMIT',
  sessionDays: 'ENCLAVE_SESSION_DAYS',
  cpuWorkTimeoutMs: 'ENCLAVE_CPU_WORK_TIMEOUT_MS',
  textExtractionTimeoutMs: 'ENCLAVE_TEXT_EXTRACTION_TIMEOUT_MS',
  retentionPurgeIntervalMinutes: 'ENCLAVE_RETENTION_PURGE_INTERVAL_MINUTES',
  fingerprints: 'ENCLAVE_FINGERPRINTS',
  loginAttemptsPerMinute: 'ENCLAVE_LOGIN_ATTEMPTS_PER_MINUTE',
  streamMaxPerUser: 'ENCLAVE_STREAM_MAX_PER_USER',
  streamMaxPerAddress: 'ENCLAVE_STREAM_MAX_PER_ADDRESS',
  streamFramesPerSecond: 'ENCLAVE_STREAM_FRAMES_PER_SECOND',
  secretKey: 'ENCLAVE_SECRET_KEY',
  masterKey: 'ENCLAVE_MASTER_KEY',
  masterKeyFile: 'ENCLAVE_MASTER_KEY_FILE',
  auditKeyFile: 'ENCLAVE_AUDIT_KEY_FILE',
  auditCheckpointEntries: 'ENCLAVE_AUDIT_CHECKPOINT_ENTRIES',
  auditCheckpointMinutes: 'ENCLAVE_AUDIT_CHECKPOINT_MINUTES',
  auditCheckpointsFile: 'ENCLAVE_AUDIT_CHECKPOINTS_FILE',
  encryption: 'ENCLAVE_ENCRYPTION',
  publicUrl: 'ENCLAVE_PUBLIC_URL',
  trustProxy: 'ENCLAVE_TRUST_PROXY',
  headersTimeoutMs: 'ENCLAVE_HEADERS_TIMEOUT_MS',
  idleTimeoutMs: 'ENCLAVE_IDLE_TIMEOUT_MS',
  requestTimeoutMs: 'ENCLAVE_REQUEST_TIMEOUT_MS',
  keepAliveTimeoutMs: 'ENCLAVE_KEEP_ALIVE_TIMEOUT_MS',
  dailyExportDir: 'ENCLAVE_DAILY_EXPORT_DIR',
  dailyExportTime: 'ENCLAVE_DAILY_EXPORT_TIME',
  dailyExportQuery: 'ENCLAVE_DAILY_EXPORT_QUERY',
  metrics: 'ENCLAVE_METRICS',
  metricsToken: 'ENCLAVE_METRICS_TOKEN',
  smtpHost: 'ENCLAVE_SMTP_HOST',
  smtpPort: 'ENCLAVE_SMTP_PORT',
  smtpSecurity: 'ENCLAVE_SMTP_SECURITY',
  smtpUser: 'ENCLAVE_SMTP_USER',
  smtpPassword: 'ENCLAVE_SMTP_PASSWORD',
  smtpFrom: 'ENCLAVE_SMTP_FROM',
};

export class ConfigError extends Error {}

/**
 * Reads the configuration from `ENCLAVE_CONFIG` (a JSON file, optional), then the environment, then `overrides`,
 * and validates it; a bad setting stops the start with a message naming the variable.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: ConfigInput = {}): Config {
  const fromFile = env.ENCLAVE_CONFIG ? readConfigFile(env.ENCLAVE_CONFIG) : {};
  const fromEnv: Record<string, string> = {};
  for (const [key, name] of Object.entries(environmentNames)) {
    const value = env[name];
    if (value !== undefined && value !== '') fromEnv[key] = value;
  }
  const parsed = ConfigSchema.safeParse({ ...fromFile, ...fromEnv, ...overrides });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const key = String(issue.path[0]) as keyof Config;
      return `  ${environmentNames[key] ?? key}: ${issue.message}`;
    });
    throw new ConfigError(`Invalid configuration:\n${problems.join('\n')}`);
  }
  // Nodes linked by NATS read each other's events from the one database they share; SQLite is one node's own file.
  if (parsed.data.natsUrl !== undefined && parsed.data.databaseUrl === undefined) {
    throw new ConfigError('Invalid configuration:\n  ENCLAVE_NATS_URL: needs DATABASE_URL (the PostgreSQL database every node shares)');
  }
  const smtpProblems = smtpProblemsOf(parsed.data);
  if (smtpProblems.length > 0) throw new ConfigError(`Invalid configuration:\n${smtpProblems.map((problem) => `  ${problem}`).join('\n')}`);
  const dataDir = path.resolve(parsed.data.dataDir);
  return { ...parsed.data, dataDir, filesDir: path.resolve(parsed.data.filesDir ?? path.join(dataDir, 'files')) };
}

/** The SMTP settings only make sense together; each problem names the variable to set. */
function smtpProblemsOf(config: z.infer<typeof ConfigSchema>): string[] {
  const { smtpHost, smtpFrom, smtpUser, smtpPassword, publicUrl } = config;
  const anySet = [smtpHost, smtpFrom, smtpUser, smtpPassword, config.smtpPort].some((value) => value !== undefined);
  if (!anySet) return [];
  const problems: string[] = [];
  if (smtpHost === undefined) problems.push('ENCLAVE_SMTP_HOST: needed by the other ENCLAVE_SMTP_* settings (the SMTP server e-mail goes through)');
  if (smtpFrom === undefined) problems.push('ENCLAVE_SMTP_FROM: needed with ENCLAVE_SMTP_HOST (the address e-mail is sent from)');
  if (smtpUser !== undefined && smtpPassword === undefined) problems.push('ENCLAVE_SMTP_PASSWORD: needed with ENCLAVE_SMTP_USER');
  if (smtpPassword !== undefined && smtpUser === undefined) problems.push('ENCLAVE_SMTP_USER: needed with ENCLAVE_SMTP_PASSWORD');
  // A password must never cross the network in the clear: a relay that needs one needs TLS too.
  if (smtpUser !== undefined && config.smtpSecurity === 'none') problems.push('ENCLAVE_SMTP_SECURITY: must be tls or starttls when ENCLAVE_SMTP_USER is set, so the password is never sent in the clear');
  if (publicUrl === undefined) problems.push('ENCLAVE_PUBLIC_URL: needed with ENCLAVE_SMTP_HOST (e-mails link to it)');
  return problems;
}

function readConfigFile(file: string): Record<string, unknown> {
  let content: unknown;
  try {
    content = JSON.parse(readFileSync(file, 'utf8'));
    if (typeof content !== 'object' || content === null || Array.isArray(content)) throw new Error('not a JSON object');
  } catch (error) {
    throw new ConfigError(`Cannot read ENCLAVE_CONFIG file ${file}: ${(error as Error).message}`);
  }
  checkKnownKeys(file, Object.keys(content));
  return content as Record<string, unknown>;
}

/**
 * A key the schema does not know would otherwise be dropped without a word: a misspelt `databaseURL` would start the
 * server on SQLite, a misspelt `trustProxy` would trust nobody. Each unknown key is named, with the setting it
 * probably meant when it differs only in case or is the setting's environment name.
 */
function checkKnownKeys(file: string, keys: readonly string[]): void {
  const known = Object.keys(environmentNames);
  const unknown = keys.filter((key) => !Object.hasOwn(environmentNames, key));
  if (unknown.length === 0) return;
  const problems = unknown.map((key) => {
    const meant = known.find((name) => name.toLowerCase() === key.toLowerCase() || environmentNames[name as keyof Config] === key);
    return `  ${key}: not a setting${meant ? ` (did you mean ${meant}?)` : ''}`;
  });
  throw new ConfigError(`Invalid configuration in ENCLAVE_CONFIG file ${file}:\n${problems.join('\n')}`);
}
