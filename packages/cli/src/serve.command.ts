import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadConfig, startServer } from '@enclave/server';
import type { Command } from './commands';

const bundledWebRoot = fileURLToPath(new URL('../../web/dist', import.meta.url));

export const serveCommand: Command = {
  name: 'serve',
  summary:
    'Start the Enclave server and web client. Settings come from the environment (PORT, HOST, ENCLAVE_DATA_DIR, DATABASE_URL, …; see the README). On the first start the first admin is created and its password printed once.',
  options: {},
  async run(_values, out) {
    const config = loadConfig();
    const webRoot = config.webRoot ?? (existsSync(bundledWebRoot) ? bundledWebRoot : undefined);
    const server = await startServer({ ...config, webRoot });
    const admin = server.firstAdmin;
    if (out.json) {
      out.result({ url: server.url, storage: server.database.description, ...(admin ? { firstAdmin: { username: admin.user.username, password: admin.generated ? admin.password : undefined } } : {}) }, []);
    } else {
      out.line(`Enclave is running at ${server.url} (${server.database.description})${webRoot ? '' : ' — API only: the web client is not built'}`);
      if (admin) {
        out.line('');
        out.line('First start: an administrator account was created.');
        out.line(`  username: ${admin.user.username}`);
        out.line(admin.generated ? `  password: ${admin.password}` : '  password: the one given in ENCLAVE_ADMIN_PASSWORD');
        out.line('This password is shown only this once. Sign in and keep it safe.');
        out.line('');
      }
    }
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    await server.close();
    return 0;
  },
};
