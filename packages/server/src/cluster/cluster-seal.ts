import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

/**
 * How far a message's time may be from the receiver's clock. Nodes keep time (NTP, as the admin guide asks), so a
 * real message is milliseconds old; a message older than this is a replay, not a delay.
 */
export const SEAL_WINDOW_MS = 30_000;

/** A sealed message: an HMAC-SHA-256 in base64url (43 characters), a dot, the JSON it signs. */
const SEALED = /^([A-Za-z0-9_-]{43})\.(\{.*\})$/s;

/** What the seal adds to a message: who sent it, its place in that sender's order on the subject, and when. */
interface SealedFields {
  node: string;
  seq: number;
  sentAt: number;
}

/** A message that passed `open`: its sender, and its fields as sent. */
export interface OpenedMessage {
  node: string;
  body: Record<string, unknown>;
}

/**
 * Signs what a node says to the others through NATS, and refuses what it did not sign. Anyone who can reach the
 * broker can publish on the installation's subjects (a shared broker, a compromised host on its network), and what
 * travels there is acted on at once: a session revocation, a sign-in throttle's success that clears a lockout,
 * someone's presence. So every message carries an HMAC under a key derived from the installation's data key
 * (which every node of the installation holds, and the broker never sees), over the subject it was sent on, the
 * sender, a sequence number and the time. A message is accepted once: its sequence must be above the last one
 * accepted from that sender on that subject (the broker keeps one publisher's order on one subject), and its time
 * within SEAL_WINDOW_MS, so a captured message replayed later, or on another subject, is refused too.
 */
export class ClusterSeal {
  private readonly key: Buffer;
  private nextSeq = 1;
  /** The last sequence accepted, by sender and subject, with when: forgotten once replays of it would be too old anyway. */
  private readonly lastAccepted = new Map<string, { seq: number; at: number }>();
  private forgottenAt = 0;

  constructor(
    installationKey: Buffer,
    private readonly node: string,
    private readonly now: () => number = Date.now,
  ) {
    this.key = Buffer.from(hkdfSync('sha256', installationKey, Buffer.alloc(0), 'enclave cluster messages', 32));
  }

  /** The message as it goes on the wire to `subject`: `<signature>.<json>`. */
  seal(subject: string, body: Record<string, unknown>): string {
    const fields: SealedFields = { node: this.node, seq: this.nextSeq, sentAt: this.now() };
    this.nextSeq += 1;
    const json = JSON.stringify({ ...body, ...fields });
    return `${this.sign(subject, json)}.${json}`;
  }

  /**
   * The message received on `subject` if this installation's node sealed it, did not send it before and sent it
   * lately; otherwise the reason it is refused. This node's own messages are refused as `own`, to be ignored quietly.
   */
  open(subject: string, wire: string): OpenedMessage | { refused: 'unsigned' | 'forged' | 'stale' | 'replayed' | 'own' } {
    const signed = SEALED.exec(wire);
    if (!signed) return { refused: 'unsigned' };
    const [, signature, json] = signed as unknown as [string, string, string];
    const given = Buffer.from(signature, 'base64url');
    const expected = Buffer.from(this.sign(subject, json), 'base64url');
    if (!timingSafeEqual(given, expected)) return { refused: 'forged' };
    // Signed by a node of this installation, so well formed; the fields are checked anyway, as any input is.
    const parsed = JSON.parse(json) as Record<string, unknown>;
    const { node, seq, sentAt } = parsed;
    if (typeof node !== 'string' || !Number.isSafeInteger(seq) || typeof sentAt !== 'number') return { refused: 'forged' };
    if (node === this.node) return { refused: 'own' };
    const now = this.now();
    if (Math.abs(now - sentAt) > SEAL_WINDOW_MS) return { refused: 'stale' };
    const sender = `${node} ${subject}`;
    const last = this.lastAccepted.get(sender);
    if (last && (seq as number) <= last.seq) return { refused: 'replayed' };
    this.lastAccepted.set(sender, { seq: seq as number, at: now });
    this.forgetQuietSenders(now);
    const body = { ...parsed };
    for (const field of ['node', 'seq', 'sentAt'] as const) delete body[field];
    return { node, body };
  }

  private sign(subject: string, json: string): string {
    return createHmac('sha256', this.key).update(subject).update('\n').update(json).digest('base64url');
  }

  /** A sender silent for twice the window (a node that stopped) is forgotten: its old messages are stale by now. */
  private forgetQuietSenders(now: number): void {
    if (now - this.forgottenAt < SEAL_WINDOW_MS) return;
    this.forgottenAt = now;
    for (const [sender, last] of this.lastAccepted) if (now - last.at > 2 * SEAL_WINDOW_MS) this.lastAccepted.delete(sender);
  }
}
