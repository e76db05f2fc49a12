import http from 'node:http';
import { EnclaveClient } from '@enclave/sdk';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import type WebSocket from 'ws';
import { mapWithLimit, sleep } from './concurrency';
import { createGroup, type BenchUser } from './enclave-setup';
import { LatencyHistogram } from './latency-histogram';
import { nodeHttpFetch } from './node-http-fetch';
import { closeSockets, enclaveStreamUrl, openSocket } from './stream-socket';

/** The product's bar: /healthz p99 at most this many times the idle p99 while heavy work goes on. */
export const RESPONSIVE_TARGET_RATIO = 2;

export interface ResponsivenessSettings {
  idleSeconds: number;
  /** Messages each carrying a PDF of `pdfPages` pages, sent one after the other. */
  pdfSends: number;
  pdfPages: number;
  /** Streams opened (and authenticated) at once for the connect case. */
  sockets: number;
  guessSeconds: number;
  guessConcurrency: number;
}

export interface ResponsiveCase {
  name: 'large-pdf-sends' | 'sockets-connect' | 'password-guessing';
  healthChecks: number;
  p99Ms: number;
  ratio: number;
  /** What the load itself did: sends done, sockets opened, or sign-in answers by status. */
  load: Record<string, number>;
}

export interface ResponsivenessResult {
  idle: { healthChecks: number; p99Ms: number };
  cases: ResponsiveCase[];
}

/**
 * Whether the server stays responsive while it does heavy work: a prober asks for /healthz over its own
 * keep-alive connection, one request after the other, while idle and then during each load, and every load's
 * p99 is divided by the idle p99 of the same run.
 */
export async function measureResponsiveness(baseUrl: string, users: readonly BenchUser[], settings: ResponsivenessSettings, log: (line: string) => void): Promise<ResponsivenessResult> {
  const idle = await probeWhile(baseUrl, sleep(settings.idleSeconds * 1000));
  log(`responsive: idle /healthz p99 ${idle.p99Ms.toFixed(2)} ms over ${idle.healthChecks} checks`);
  const ratioOf = (p99Ms: number) => (idle.p99Ms > 0 ? p99Ms / idle.p99Ms : 0);
  const cases: ResponsiveCase[] = [];
  const record = (name: ResponsiveCase['name'], probed: Probe, load: Record<string, number>) => {
    cases.push({ name, ...probed, ratio: ratioOf(probed.p99Ms), load });
    log(`responsive: ${name} /healthz p99 ${probed.p99Ms.toFixed(2)} ms (${ratioOf(probed.p99Ms).toFixed(2)}x idle) over ${probed.healthChecks} checks; ${JSON.stringify(load)}`);
  };

  const [sender, ...others] = users;
  if (!sender) throw new Error('the responsiveness phase needs users');
  const room = await createGroup(baseUrl, sender, 'responsive', others.slice(0, 1));
  const client = new EnclaveClient({ baseUrl, token: sender.token });
  const pdf = await longPdf(settings.pdfPages);
  const fileIds: string[] = [];
  // Uploads are not what is measured: their text is extracted on worker threads at upload, before the sends.
  for (let i = 0; i < settings.pdfSends; i++) fileIds.push((await client.uploadFile(room.id, new Blob([Buffer.from(pdf)]), { name: `report-${i}.pdf` })).file.id);
  let sent = 0;
  const sends = (async () => {
    for (const fileId of fileIds) {
      await client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'the report', fileIds: [fileId] } });
      sent += 1;
    }
  })();
  record('large-pdf-sends', await probeWhile(baseUrl, sends), { sends: sent, pages: settings.pdfPages, pdfBytes: pdf.length });

  const sockets: WebSocket[] = [];
  const connecting = mapWithLimit(users.slice(0, settings.sockets), 100, async (user) => {
    sockets.push(await openSocket(enclaveStreamUrl(baseUrl, user.token), { localAddress: user.address, readyOn: 'synced' }));
  });
  record('sockets-connect', await probeWhile(baseUrl, connecting), { sockets: sockets.length });
  await closeSockets(sockets);

  const answers: Record<string, number> = {};
  const deadline = Date.now() + settings.guessSeconds * 1000;
  const guessing = mapWithLimit(Array.from({ length: settings.guessConcurrency }, (_, i) => i), settings.guessConcurrency, async () => {
    const fetchFrom = nodeHttpFetch();
    while (Date.now() < deadline) {
      const response = await fetchFrom(`${baseUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: `guess-${Math.random()}` }) });
      await response.arrayBuffer();
      answers[response.status] = (answers[response.status] ?? 0) + 1;
    }
  });
  record('password-guessing', await probeWhile(baseUrl, guessing), answers);
  return { idle, cases };
}

interface Probe {
  healthChecks: number;
  p99Ms: number;
}

/** /healthz latencies from one connection of its own, request after request, until `work` settles. */
async function probeWhile(baseUrl: string, work: Promise<unknown>): Promise<Probe> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const histogram = new LatencyHistogram();
  let done = false;
  const finished = work.finally(() => (done = true));
  try {
    while (!done) {
      const startedAt = performance.now();
      await new Promise<void>((resolve, reject) => {
        http
          .get(`${baseUrl}/healthz`, { agent }, (response) => {
            response.resume();
            response.on('end', resolve);
            response.on('error', reject);
          })
          .on('error', reject);
      });
      histogram.record(performance.now() - startedAt);
    }
    await finished;
  } finally {
    agent.destroy();
  }
  return { healthChecks: histogram.count, p99Ms: histogram.quantile(0.99) };
}

/** A report of `pages` pages of ordinary numbered lines: about 1 MB for 3,000 pages, its text past the extraction limit. */
async function longPdf(pages: number): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  for (let page = 1; page <= pages; page++) {
    const lines = Array.from({ length: 12 }, (_, line) => `page ${page} line ${line + 1}: the quarterly figures were reviewed and approved by finance`);
    pdf.addPage([595, 842]).drawText(lines.join('\n'), { x: 40, y: 800, size: 10, font, lineHeight: 13 });
  }
  return pdf.save();
}
