import { buildApp, Keyring, loadConfig, loadMasterKeysFor, migrateToLatest, openDatabase, upgradeSteps, type Config, type Services } from '@enclave/server';

/**
 * Runs an admin task straight against the configured database, without a running server: this is how an
 * operator gets back in when every admin is locked out. Uses the same services as the API, so the same rules
 * and audit entries apply.
 */
export async function withServices<T>(task: (services: Services, config: Config) => Promise<T>, env: NodeJS.ProcessEnv = process.env): Promise<T> {
  const config = loadConfig(env, { logLevel: 'silent', webRoot: undefined });
  const database = openDatabase(config);
  try {
    await loadMasterKeysFor(database.db, config);
    await migrateToLatest(database.db);
    const { app, services } = await buildApp({ ...config, webRoot: undefined }, database);
    try {
      return await task(services, config);
    } finally {
      await app.close();
    }
  } finally {
    await database.close();
  }
}

export async function withDatabase<T>(task: (database: ReturnType<typeof openDatabase>, config: Config) => Promise<T>, env: NodeJS.ProcessEnv = process.env): Promise<T> {
  const config = loadConfig(env, { logLevel: 'silent' });
  const database = openDatabase(config);
  try {
    await loadMasterKeysFor(database.db, config);
    await migrateToLatest(database.db);
    return await task(database, config);
  } finally {
    await database.close();
  }
}

/**
 * Opens the database and the keyring as a server would (the master key checked before anything is written),
 * for the key commands, which work beside running servers or with every server stopped.
 */
export async function withKeys<T>(task: (context: { database: ReturnType<typeof openDatabase>; keys: Keyring; config: Config }) => Promise<T>, env: NodeJS.ProcessEnv = process.env): Promise<T> {
  const config = loadConfig(env, { logLevel: 'silent' });
  const database = openDatabase(config);
  try {
    const masters = await loadMasterKeysFor(database.db, config);
    await migrateToLatest(database.db);
    const keys = await Keyring.open(database.db, masters, { encrypting: config.encryption === 'on', source: config, upgradeSteps: upgradeSteps(config).map((step) => step.name) });
    return await task({ database, keys, config });
  } finally {
    await database.close();
  }
}
