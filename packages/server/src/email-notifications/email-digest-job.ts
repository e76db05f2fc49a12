import type { EmailNotificationPolicy, Locale } from '@enclave/protocol';
import type { Kysely } from 'kysely';
import { recordAudit } from '../audit/audit.service';
import type { Clock } from '../clock';
import type { DialectName } from '../db/database';
import { runAlone } from '../db/job-lock';
import type { Database } from '../db/schema';
import { DEFAULT_LABEL, type LabelRanks } from '../labels/labels.service';
import type { QuietHours } from '../work-hours/quiet-hours';
import { digestEmail, type DigestSummary } from './digest-email';
import { findReachablePeople, findUnreadItems, markCaughtUp, markFailed, markPendingSince, markSent, type DigestPerson, type UnreadItem } from './email-notifications.repository';
import { EmailDeliveryError, type SmtpMailer } from './smtp-mailer';

/** How often each node looks: a digest goes at most this long after its delay ran out. */
const LOOK_EVERY_MS = 60_000;
/** The longest wait between retries after the SMTP server refused or could not be reached. */
const LONGEST_RETRY_MS = 60 * 60_000;
/** People looked at per query: far below either database's limit on bound parameters. */
const BATCH = 500;

export interface EmailDigestJobDeps {
  db: Kysely<Database>;
  dialect: DialectName;
  mailer: SmtpMailer;
  policy: () => Promise<EmailNotificationPolicy>;
  ranks: () => Promise<LabelRanks>;
  /** Rooms' names, opened (they are sealed at rest). */
  roomNames: (roomIds: readonly string[]) => Promise<Map<string, string | null>>;
  quietHoursOf: (userIds: readonly string[]) => Promise<Map<string, QuietHours>>;
  /** Whether the person has a stream open on any node. */
  isConnected: (userId: string) => boolean;
  /** The event log's head: what exists when a run starts. */
  logHead: () => Promise<number>;
  /** Where the digest's link points (ENCLAVE_PUBLIC_URL). */
  publicUrl: string;
  clock: Clock;
  log: { warn: (details: object, message: string) => void; error: (details: object, message: string) => void };
}

/**
 * E-mails each person one digest of the mentions and direct messages they missed: when something has stayed
 * unread for the organisation's delay, they have had no stream open since, and they are at work. Off work the
 * digest is held until their working time begins (a digest at 3 a.m. helps nobody, and by morning they may have
 * read it on their phone); a muted room never counts; whatever was there while they were connected counts as seen.
 *
 * Every node runs it once a minute, one node at a time (`runAlone`), and all its state is in `email_digests`, so a
 * restart or another node carries on where the last run stopped. A digest is recorded as sent only after the SMTP
 * server took it: a refusal or an unreachable server leaves everything in place to go again later, with the same
 * counts and more if more came, never one digest per attempt.
 */
export class EmailDigestJob {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(private readonly deps: EmailDigestJobDeps) {}

  start(): void {
    this.stopped = false;
    void this.poke();
  }

  /** Looks once now (after any run in progress) and re-arms the timer; resolves when that look is over. */
  poke(): Promise<void> {
    this.running = this.running.then(() => this.look()).catch((error: unknown) => this.deps.log.error({ err: error }, 'e-mail digests failed to run'));
    return this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
    this.deps.mailer.close();
  }

  private async look(): Promise<void> {
    if (this.stopped) return;
    try {
      const policy = await this.deps.policy();
      if (policy.enabled) await runAlone(this.deps.db, this.deps.dialect, 'email-digests', () => this.lookUnderLock(policy));
    } finally {
      this.arm();
    }
  }

  private arm(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.poke(), LOOK_EVERY_MS);
    this.timer.unref();
  }

  private async lookUnderLock(policy: EmailNotificationPolicy): Promise<void> {
    const { db, clock } = this.deps;
    const now = clock.now();
    const upTo = await this.deps.logHead();
    const everyone = await findReachablePeople(db, now);
    if (everyone.length === 0) return;
    const ranks = await this.deps.ranks();
    for (let start = 0; start < everyone.length && !this.stopped; start += BATCH) await this.lookAt(everyone.slice(start, start + BATCH), policy, ranks, upTo, now);
  }

  private async lookAt(people: DigestPerson[], policy: EmailNotificationPolicy, ranks: LabelRanks, upTo: number, now: number): Promise<void> {
    const { db } = this.deps;
    const unread = groupByPerson(await findUnreadItems(db, people.map((person) => person.userId), upTo));
    const waiting = people.filter((person) => unread.has(person.userId));
    const quiet = await this.deps.quietHoursOf(waiting.map((person) => person.userId));
    for (const person of people) {
      if (this.stopped) return;
      // What the person's clearance does not reach is not theirs to be told about, not even as a count.
      const items = (unread.get(person.userId) ?? []).filter((item) => ranks.fits(item.label, person.clearance));
      if (items.length === 0) {
        if (person.pendingSince !== null) await markCaughtUp(db, person.userId, undefined);
      } else if (this.deps.isConnected(person.userId)) {
        await markCaughtUp(db, person.userId, upTo);
      } else if (person.pendingSince === null) {
        await markPendingSince(db, person.userId, now);
      } else if (now - person.pendingSince >= policy.delayMinutes * 60_000 && !quiet.get(person.userId)?.isQuietAt(now)) {
        await this.sendDigest(person, items, policy, ranks, upTo, now);
      }
    }
  }

  private async sendDigest(person: DigestPerson, items: UnreadItem[], policy: EmailNotificationPolicy, ranks: LabelRanks, upTo: number, now: number): Promise<void> {
    const nameable = policy.namesRooms ? items.filter((item) => item.roomKind !== 'dm' && ranks.rankOf(item.roomCeiling) <= ranks.rankOf(DEFAULT_LABEL)) : [];
    const names = await this.deps.roomNames(nameable.map((item) => item.roomId));
    const summary = summarise(items, names);
    const locale: Locale = person.locale === 'zh-CN' ? 'zh-CN' : 'en';
    const { subject, text } = digestEmail(locale, summary, `${this.deps.publicUrl}/`);
    try {
      await this.deps.mailer.send({ to: person.address, subject, text, messageId: `<digest.${person.userId}.${upTo}@${new URL(this.deps.publicUrl).hostname}>` });
    } catch (error) {
      if (!(error instanceof EmailDeliveryError)) throw error;
      const failures = person.failures + 1;
      const retryAt = now + Math.min(LONGEST_RETRY_MS, 60_000 * 2 ** (failures - 1));
      await markFailed(this.deps.db, person.userId, failures, retryAt);
      this.deps.log.warn({ userId: person.userId, reason: error.reason, failures, retryAt: new Date(retryAt).toISOString() }, 'the SMTP server did not take an e-mail digest; it goes again later');
      return;
    }
    await this.deps.db.transaction().execute(async (trx) => {
      await markSent(trx, person.userId, upTo);
      const counts = { mentions: summary.mentions, mentionRooms: summary.mentionRooms.length, directMessages: summary.directMessages, conversations: summary.conversations };
      await recordAudit(trx, { actorId: null, action: 'email.digest_sent', target: { type: 'user', id: person.userId }, data: counts });
    });
  }
}

function groupByPerson(items: UnreadItem[]): Map<string, UnreadItem[]> {
  const byPerson = new Map<string, UnreadItem[]>();
  for (const item of items) byPerson.set(item.userId, [...(byPerson.get(item.userId) ?? []), item]);
  return byPerson;
}

/**
 * Counts by kind; a mention inside a direct message counts once, as a direct message. `names` holds only the rooms
 * that may be named: when the policy names rooms, those whose ceiling is at most internal, since the name of a
 * room for confidential work can say too much on its own.
 */
function summarise(items: UnreadItem[], names: ReadonlyMap<string, string | null>): DigestSummary {
  const seen = new Set<number>();
  const mentionRooms = new Map<string, string | null>();
  const conversations = new Set<string>();
  let mentions = 0;
  let directMessages = 0;
  for (const item of items) {
    if (seen.has(item.position)) continue;
    seen.add(item.position);
    if (item.roomKind === 'dm') {
      directMessages += 1;
      conversations.add(item.roomId);
    } else {
      mentions += 1;
      mentionRooms.set(item.roomId, names.get(item.roomId) ?? null);
    }
  }
  return { mentions, mentionRooms: [...mentionRooms.values()], directMessages, conversations: conversations.size };
}
