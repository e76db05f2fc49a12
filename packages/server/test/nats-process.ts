import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';

/**
 * A real NATS server for one test file: Debian's `nats-server` (installed by .ci/run) on a free loopback port,
 * started and stopped by the test, so a test can take the broker away and bring it back on the same address.
 */
export class NatsProcess {
  private child: ChildProcess | undefined;

  private constructor(
    readonly port: number,
    private readonly credentials?: { user: string; pass: string },
  ) {}

  /** A broker on a free port; with `credentials`, one that takes only clients giving that user and password. */
  static async start(credentials?: { user: string; pass: string }): Promise<NatsProcess> {
    const nats = new NatsProcess(await freePort(), credentials);
    await nats.resume();
    return nats;
  }

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  /** Starts the server (again) on its port and waits until it takes connections. */
  async resume(): Promise<void> {
    const auth = this.credentials ? ['--user', this.credentials.user, '--pass', this.credentials.pass] : [];
    const child = spawn('nats-server', ['-a', '127.0.0.1', '-p', String(this.port), ...auth], { stdio: 'ignore' });
    this.child = child;
    const failed = new Promise<never>((_, reject) => child.once('error', (error) => reject(new Error(`nats-server did not start (${error.message}); .ci/run installs it`))));
    await Promise.race([untilListening(this.port), failed]);
  }

  /** Stops the server at once, as a crash or a network cut would take it away. */
  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }
}

/** A loopback port nobody listens on now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function untilListening(port: number): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`nats-server is not listening on ${port}`);
}
