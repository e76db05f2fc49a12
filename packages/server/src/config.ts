import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const Port = z.coerce.number().int().min(0).max(65535);

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
  adminUsername: z.string().min(2).max(32).default('admin'),
  adminPassword: z.string().min(10, 'must be at least 10 characters').optional(),
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
  /** Base64 of 32 bytes that encrypts secrets at rest; unset means `secret.key` in the data directory. */
  secretKey: z.string().optional(),
  /**
   * The origin people reach this server at (https://chat.example.com), used in invite links and their QR codes;
   * unset means the origin each request came to.
   */
  publicUrl: z
    .url({ protocol: /^https?$/ })
    .transform((url) => url.replace(/\/+$/, ''))
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
  adminUsername: 'ENCLAVE_ADMIN_USERNAME',
  adminPassword: 'ENCLAVE_ADMIN_PASSWORD',
  logLevel: 'ENCLAVE_LOG_LEVEL',
  passwordHashCost: 'ENCLAVE_PASSWORD_HASH_COST',
  webRoot: 'ENCLAVE_WEB_ROOT',
  bodyLimit: 'ENCLAVE_BODY_LIMIT',
  sessionDays: 'ENCLAVE_SESSION_DAYS',
  cpuWorkTimeoutMs: 'ENCLAVE_CPU_WORK_TIMEOUT_MS',
  textExtractionTimeoutMs: 'ENCLAVE_TEXT_EXTRACTION_TIMEOUT_MS',
  loginAttemptsPerMinute: 'ENCLAVE_LOGIN_ATTEMPTS_PER_MINUTE',
  secretKey: 'ENCLAVE_SECRET_KEY',
  publicUrl: 'ENCLAVE_PUBLIC_URL',
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
  const dataDir = path.resolve(parsed.data.dataDir);
  return { ...parsed.data, dataDir, filesDir: path.resolve(parsed.data.filesDir ?? path.join(dataDir, 'files')) };
}

function readConfigFile(file: string): Record<string, unknown> {
  try {
    const content: unknown = JSON.parse(readFileSync(file, 'utf8'));
    if (typeof content !== 'object' || content === null || Array.isArray(content)) throw new Error('not a JSON object');
    return content as Record<string, unknown>;
  } catch (error) {
    throw new ConfigError(`Cannot read ENCLAVE_CONFIG file ${file}: ${(error as Error).message}`);
  }
}
