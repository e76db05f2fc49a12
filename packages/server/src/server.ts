import type { User } from '@enclave/protocol';
import type { FastifyInstance } from 'fastify';
import { buildApp, type BuildOptions, type Services } from './app';
import { generatePassword } from './auth/password';
import type { Config } from './config';
import { migrateToLatest, openDatabase, type DatabaseHandle } from './db/database';
import { startDailyExports } from './ediscovery/daily-export';
import { startFileHousekeeping } from './files/file-housekeeping';
import { FileStore } from './files/file-store';
import { startEncryptionUpgrade, type BackgroundUpgrade } from './keys/encryption-upgrade';
import { loadMasterKeysFor } from './keys/keyring';
import { upgradeSteps } from './keys/upgrade-steps';
import { indexStoredMessages } from './search/search-index';

export interface RunningServer {
  app: FastifyInstance;
  services: Services;
  database: DatabaseHandle;
  /** The address actually bound (the port is real even when 0 was asked for). */
  url: string;
  /** Set only on the very first start: the admin account created and its password, to be shown once. */
  firstAdmin?: { user: User; password: string; generated: boolean };
  /** The background sealing of content from before encryption, when this start found any step unfinished. */
  encryptionUpgrade?: BackgroundUpgrade;
  close(): Promise<void>;
}

/**
 * Opens storage, migrates it, indexes for search the messages not indexed yet, creates the first admin if there is
 * nobody yet, clears what interrupted uploads left in the files directory, starts listening, and then seals any
 * content left plain from before encryption.
 */
export async function startServer(config: Config, options: BuildOptions = {}): Promise<RunningServer> {
  const database = openDatabase(config);
  try {
    // A wrong or missing master key stops the start here, before a migration writes anything.
    await loadMasterKeysFor(database.db, config);
    await migrateToLatest(database.db);
    const { app, services } = await buildApp(config, database, options);
    // After buildApp: indexing stored messages opens their text and hashes their words with the keyring it loads.
    await indexStoredMessages(database.db, services.keys).catch(async (error: unknown) => {
      await app.close();
      throw error;
    });
    const password = config.adminPassword ?? generatePassword();
    const admin = await services.users.ensureFirstAdmin(config.adminUsername, password, { oneTime: config.adminPassword === undefined });
    const housekeeping = await startFileHousekeeping(database.db, new FileStore(config.filesDir), services.keys, app.log);
    app.addHook('onClose', async () => housekeeping.stop());
    if (config.dailyExportDir) {
      const settings = { directory: config.dailyExportDir, time: config.dailyExportTime, query: config.dailyExportQuery };
      const dailyExports = startDailyExports(services.ediscovery.runDeps, settings, app.log);
      app.addHook('onClose', async () => dailyExports.stop());
    }
    // Closing the app waits for a check in progress, and the database is closed only after that.
    const checkpoints = services.auditCheckpoints.start();
    app.addHook('onClose', async () => checkpoints.stop());
    const purgeSchedule = services.retention.startSchedule(config.retentionPurgeIntervalMinutes);
    app.addHook('onClose', async () => purgeSchedule.stop());
    // Catches up on what fell due while no node ran, then sends each scheduled message at its time.
    services.scheduledSends.start();
    app.addHook('onClose', async () => services.scheduledSends.stop());
    services.emailDigests?.start();
    app.addHook('onClose', async () => services.emailDigests?.stop());
    await app.listen({ port: config.port, host: config.host });
    // Content stored before encryption is sealed in the background while chat goes on; a restart resumes it.
    const upgrade = services.keys.encrypting && services.keys.acceptsPlain ? startEncryptionUpgrade(database.db, services.keys, upgradeSteps(config), app.log) : undefined;
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const host = config.host.includes(':') ? `[${config.host}]` : config.host;
    return {
      app,
      services,
      database,
      url: `http://${host}:${port}`,
      ...(admin ? { firstAdmin: { user: admin, password, generated: config.adminPassword === undefined } } : {}),
      ...(upgrade ? { encryptionUpgrade: upgrade } : {}),
      close: async () => {
        await upgrade?.stop();
        await app.close();
        await database.close();
      },
    };
  } catch (error) {
    await database.close();
    throw error;
  }
}
