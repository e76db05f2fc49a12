// The baseline the fan-out figure is compared with: a bare `ws` broadcast server. Every frame any client sends
// goes to every connected client (the sender included, as Enclave echoes a message to its sender), as the very
// Buffer received, sent as a text frame. No authentication, no storage, no ordering work.
import { WebSocketServer } from 'ws';
import { cpuMicros, serveQueries, type BenchAnswer } from './bench-ipc';

const server = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
server.on('connection', (socket) => {
  socket.on('message', (data) => {
    for (const client of server.clients) client.send(data as Buffer, { binary: false });
  });
});
server.on('listening', () => {
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  if (process.send) process.send({ type: 'ready', url } satisfies BenchAnswer);
  else console.log(`baseline broadcast server on ${url}`);
});

serveQueries(
  async (query): Promise<BenchAnswer> => {
    if (query.query !== 'cpu') throw new Error(`the baseline server has no ${query.query}`);
    return { type: 'value', id: query.id, value: cpuMicros() };
  },
  () => new Promise<void>((resolve) => server.close(() => resolve())),
);
