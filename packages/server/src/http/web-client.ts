import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { METRICS_PATH } from '../metrics/metrics.routes';

/**
 * Serves the built web client. Hashed assets are cached for good; any other non-API path without a file extension
 * gets index.html so the client's own routing works after a reload. A missing file (`/old-bundle.js`) is a 404: the
 * page in its place would be run or parsed as something it is not, and would hide a broken deployment. The server's
 * own paths are never the page either, even when switched off: a scraper asking `/metrics` of a node without metrics
 * must get a 404, not store HTML as a scrape.
 */
export async function serveWebClient(app: FastifyInstance, webRoot: string): Promise<void> {
  const root = path.resolve(webRoot);
  if (!existsSync(path.join(root, 'index.html'))) {
    throw new Error(`The web client is not built: ${root}/index.html is missing. Run \`npm run build:web\`.`);
  }
  await app.register(fastifyStatic, {
    root,
    serve: false,
    setHeaders: (reply, filePath) => {
      reply.header('cache-control', filePath.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  app.get('/', (_request, reply) => reply.header('cache-control', 'no-cache').sendFile('index.html'));
  app.get('/*', (request, reply) => {
    const file = request.url.split('?')[0]!.slice(1);
    if (file.startsWith('api/') || `/${file}` === METRICS_PATH) return reply.callNotFound();
    const candidate = path.join(root, file);
    const isFile = candidate.startsWith(root + path.sep) && existsSync(candidate) && statSync(candidate).isFile();
    if (!isFile && hasExtension(file)) return reply.callNotFound();
    return reply.header('cache-control', 'no-cache').sendFile(isFile ? file : 'index.html');
  });
}

/** Client routes are words and ids (`/rooms/abc`, `/invite/XYZ`); only files have an extension in the last segment. */
function hasExtension(file: string): boolean {
  return /\.[A-Za-z0-9]+$/.test(file.slice(file.lastIndexOf('/') + 1));
}
