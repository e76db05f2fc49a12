import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadConfig, startServer } from '@enclave/server';
import type { Command } from './commands';
import { announceFirstAdmin, passwordOutletOf } from './first-admin-banner';

const bundledWebRoot = fileURLToPath(new URL('../../web/dist', import.meta.url));

export const serveCommand: Command = {
  name: 'serve',
  summary:
    'Start the Enclave server and web client. Settings come from the environment (PORT, HOST, ENCLAVE_DATA_DIR, DATABASE_URL, …; see the README). On the first start the first admin is created and its generated password shown once on the terminal, never in the log.',
  options: {},
  async run(_values, out) {
    const config = loadConfig();
    const webRoot = config.webRoot ?? (existsSync(bundledWebRoot) ? bundledWebRoot : undefined);
    const server = await startServer({ ...config, webRoot });
    const admin = server.firstAdmin;
    // Standard output is the JSON log: what a person should read there is a log record too.
    server.app.log.info({ url: server.url, storage: server.database.description, webClient: webRoot !== undefined }, `Enclave is running at ${server.url}${webRoot ? '' : ' (API only: the web client is not built)'}`);
    if (out.json) out.result({ url: server.url, storage: server.database.description, ...(admin ? { firstAdmin: { username: admin.user.username } } : {}) }, []);
    if (admin) announceFirstAdmin(server.app.log, admin, passwordOutletOf(process));
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    await server.close();
    return 0;
  },
};
