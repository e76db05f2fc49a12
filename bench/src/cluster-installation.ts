import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createPostgresDatabase } from '../../packages/server/test/postgres-database';
import { fanoutServerEnv } from './enclave-setup';
import { ServerProcess } from './server-process';

/**
 * One Enclave installation of the cluster bench: `nodes` server processes on a fresh PostgreSQL database and one
 * data directory (so one master key), linked through the broker when there is more than one. A single node is the
 * plain PostgreSQL deployment without a broker: the baseline the cluster's overhead is measured against.
 */
export class BenchInstallation {
  private constructor(
    readonly nodes: readonly ServerProcess[],
    private readonly cleanUp: () => Promise<void>,
  ) {}

  static async start(options: { nodes: number; natsUrl: string; adminPassword: string; pin: boolean }): Promise<BenchInstallation> {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'enclave-bench-cluster-'));
    const database = await createPostgresDatabase();
    const env = {
      ...fanoutServerEnv(dataDir, options.adminPassword),
      DATABASE_URL: database.url,
      ...(options.nodes > 1 ? { ENCLAVE_NATS_URL: options.natsUrl } : {}),
    };
    const nodes: ServerProcess[] = [];
    const cleanUp = async () => {
      await Promise.all(nodes.map((node) => node.stop()));
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    };
    try {
      // The first node migrates the fresh database and creates the master key and the admin; the others find them.
      nodes.push(await ServerProcess.start('enclave', { env, pin: options.pin }));
      nodes.push(...(await Promise.all(Array.from({ length: options.nodes - 1 }, () => ServerProcess.start('enclave', { env, pin: options.pin })))));
    } catch (error) {
      await cleanUp();
      throw error;
    }
    return new BenchInstallation(nodes, cleanUp);
  }

  /** The node the admin signs in on and the senders connect to. */
  get firstUrl(): string {
    return this.nodes[0]!.url;
  }

  get pinned(): boolean {
    return this.nodes.every((node) => node.pinned);
  }

  /** CPU microseconds all the installation's node processes have used so far: the cluster's cost is their sum. */
  async cpuMicros(): Promise<number> {
    const each = await Promise.all(this.nodes.map((node) => node.cpuMicros()));
    return each.reduce((sum, micros) => sum + micros, 0);
  }

  stop(): Promise<void> {
    return this.cleanUp();
  }
}
