import type { CopyChainItem, CopyMatch, CopyChainResponse, CopyProvenance, ForwardingPolicy, MessageRestrictions, ProvenanceItemKind } from '@enclave/protocol';
import type { Kysely } from 'kysely';
import type { Actor } from '../auth/actor';
import { recordAudit, type AuditEvent } from '../audit/audit.service';
import type { Database } from '../db/schema';
import { AppError } from '../http/app-error';
import type { LabelsService } from '../labels/labels.service';
import { checkForwardAllowed } from '../messages/forwarding';
import { restrictionsFromBits } from '../messages/message-restrictions';
import { findMessage } from '../messages/messages.access';
import { findRoom } from '../rooms/rooms.access';
import type { CpuWorkPool } from '../worker-pool/cpu-work-pool';
import { bandsOf, matchOf, noFingerprint, storedHashes, type Fingerprint } from './fingerprint';
import { imageHash } from './image-hash';
import { MIN_SHINGLED_CHARS } from './text-shingles';
import { copiesOf, findCandidates, findFingerprint, type FingerprintRecord, type FingerprintRow } from './provenance.repository';
import type { Keyring } from '../keys/keyring';
import { roomNames } from '../rooms/rooms.access';
import { fileStampedInto } from '../tracing/tracing.access';

export interface ProvenanceDeps {
  db: Kysely<Database>;
  labels: LabelsService;
  work: CpuWorkPool;
  /** Off only for the benchmark's baseline (ENCLAVE_FINGERPRINTS=off): nothing is fingerprinted or matched. */
  enabled: boolean;
  /** Opens the names of the rooms a copy chain passes through. */
  keys: Keyring;
}

/** A new item's content as provenance sees it: where it goes, who sends it and the label it was given. */
export interface NewItem {
  kind: ProvenanceItemKind;
  roomId: string;
  senderId: string;
  label: string;
}

/**
 * The verdict on a new item: the label it must carry, the labelled origin whose label it took (if any), the item
 * it is otherwise a copy of (a match in another room, for the copy chain and recall), and its fingerprint.
 */
export interface CopyVerdict {
  label: string;
  copiedFrom: CopyProvenance | null;
  copyOf?: { id: string; match: CopyMatch } | null;
  fingerprint: Fingerprint;
}

/** A copy verdict on an edit, and the fingerprint record to store for the message under the label it ends with. */
export interface EditVerdict extends CopyVerdict {
  /** `fingerprint`: the stored text's, when a redaction changed it. */
  record(label: string, fingerprint?: Fingerprint): FingerprintRecord | null;
}

/** How far the copy chain is followed up and down: far beyond any real chain, short of a runaway query. */
const CHAIN_DEPTH_MAX = 20;
const CHAIN_ITEMS_MAX = 1_000;

/**
 * Provenance that follows the bytes. Every stored message and file keeps a fingerprint (fingerprint.ts); a new
 * item whose fingerprint matches a stored item labelled above it takes that label and a `copiedFrom` origin, and
 * may go only where a forward of that item could (checkForwardAllowed, the room's ceiling). The origin may be in
 * any room, or deleted: a label is remembered as long as its fingerprint. Refusals name the label, never the
 * origin's room or content.
 */
export class ProvenanceService {
  constructor(private readonly deps: ProvenanceDeps) {}

  /** A message's fingerprint: the signature of its text (on the CPU work pool when long). */
  async fingerprintText(text: string): Promise<Fingerprint> {
    if (!this.deps.enabled) return noFingerprint;
    return { ...noFingerprint, textSignature: (await this.deps.work.run({ kind: 'text-signature', text })) ?? null };
  }

  /**
   * An upload's fingerprint: its SHA-256, an image's perceptual hash, the signature of its extracted text. Files
   * as short as a short message are not matched by their bytes either: "ok" or "x" in a file says nothing about
   * where it came from. An image is hashed from its thumbnail when it has one: decoding a 5 MB photo again would
   * nearly double the upload's time, and the thumbnail, made from the same upright picture, hashes alike.
   */
  async fingerprintFile(file: { image: Buffer | null; thumbnail: Buffer | null; size: number; mime: string; sha256: string; text: string }): Promise<Fingerprint> {
    if (!this.deps.enabled) return noFingerprint;
    // Images come as plain bytes in memory (files are sealed on disk); `image` is null for other files.
    const picture = file.image ? imageHash(file.thumbnail ?? file.image) : null;
    const [image, text] = await Promise.all([picture, this.fingerprintText(file.text)]);
    return { sha256: file.size >= MIN_SHINGLED_CHARS ? file.sha256 : null, imageHash: image, textSignature: text.textSignature };
  }

  /**
   * Finds the most sensitive stored item the fingerprint matches. When it is labelled above `item.label`, the new
   * item takes its label and origin, and must pass as a forward of it into `target` would: its restriction, its
   * label's and room's forwarding policy (FORWARD_NOT_ALLOWED), then the target's ceiling (LABEL_ABOVE_ROOM_CEILING).
   */
  async checkCopy(item: NewItem, fingerprint: Fingerprint, target: { ceiling: string; guest_count: number | string }): Promise<CopyVerdict> {
    const candidates = await findCandidates(this.deps.db, { sha256: fingerprint.sha256, bands: bandsOf(fingerprint) });
    // A copy stamped for a viewer (leak tracing) differs from its original in every byte, yet is that file exactly.
    const stampedFrom = fingerprint.sha256 === null ? undefined : await fileStampedInto(this.deps.db, fingerprint.sha256);
    const stampedRow = stampedFrom === undefined ? undefined : await findFingerprint(this.deps.db, stampedFrom);
    if (stampedRow && !candidates.some((row) => row.item_id === stampedRow.item_id)) candidates.push(stampedRow);
    const ranks = await this.deps.labels.ranks();
    let origin: { row: FingerprintRow; match: NonNullable<ReturnType<typeof matchOf>> } | undefined;
    let elsewhere: { row: FingerprintRow; match: CopyMatch } | undefined;
    const above: FingerprintRow[] = [];
    for (const row of candidates) {
      const match = row.item_id === stampedFrom ? 'exact' : matchOf(fingerprint, row);
      if (!match) continue;
      const rank = ranks.rankOf(row.label);
      if (rank > ranks.rankOf(item.label)) above.push(row);
      // The most sensitive match is the origin; among equals the earliest, the original rather than a copy of it.
      const best = ranks.rankOf(origin?.row.label ?? item.label);
      if (rank > best || (origin && rank === best && Number(row.created_at) < Number(origin.row.created_at))) origin = { row, match };
      // A copy at or below its own label changes nothing, but one taken from another room is still a copy.
      if (row.room_id !== item.roomId && (!elsewhere || Number(row.created_at) < Number(elsewhere.row.created_at))) elsewhere = { row, match };
    }
    if (!origin) return { label: item.label, copiedFrom: null, copyOf: elsewhere ? { id: elsewhere.row.item_id, match: elsewhere.match } : null, fingerprint };
    const { row, match } = origin;
    // Every matched item above the new label must allow it, as a forward of each would have to.
    for (const source of above) {
      try {
        checkForwardAllowed({ restrictions: await this.restrictionsOf(source), labelPolicy: ranks.forwardingOf(source.label), roomPolicy: await this.roomPolicyOf(source), target });
      } catch (error) {
        // Named by label only: the sender may not know the origin's room, and must not learn it from a refusal.
        if (error instanceof AppError) throw new AppError(error.code, { ...error.data, copyOfLabel: source.label });
        throw error;
      }
    }
    if (!ranks.fits(row.label, target.ceiling)) throw new AppError('LABEL_ABOVE_ROOM_CEILING', { label: row.label, ceiling: target.ceiling, copyOfLabel: row.label });
    const copiedFrom: CopyProvenance = {
      kind: row.item_kind,
      id: row.item_id,
      roomId: row.room_id,
      senderId: row.sender_id,
      createdAt: new Date(Number(row.created_at)).toISOString(),
      label: row.label,
      match,
    };
    return { label: row.label, copiedFrom, fingerprint };
  }

  /**
   * The fingerprint row of a new item, to be stored in the item's own transaction (provenance.access.ts); null
   * for an item with nothing to remember (a short message that copies nothing), which keeps a chat message's send
   * to its budget of statements. The copy chain reads such a message from its own row.
   */
  recordOf(itemId: string, item: NewItem, verdict: Pick<CopyVerdict, 'fingerprint' | 'copiedFrom' | 'copyOf'>, forwardOf?: string): FingerprintRecord | null {
    const copyOf = verdict.copiedFrom ? { id: verdict.copiedFrom.id, match: verdict.copiedFrom.match } : (verdict.copyOf ?? null);
    const { sha256, imageHash, textSignature } = verdict.fingerprint;
    if (sha256 === null && imageHash === null && textSignature === null && copyOf === null && forwardOf === undefined) return null;
    return {
      row: {
        item_id: itemId,
        item_kind: item.kind,
        room_id: item.roomId,
        sender_id: item.senderId,
        label: item.label,
        created_at: Date.now(),
        ...storedHashes(verdict.fingerprint),
        origin_id: forwardOf ?? copyOf?.id ?? null,
        match: forwardOf !== undefined ? 'forward' : (copyOf?.match ?? null),
      },
      bands: bandsOf(verdict.fingerprint),
    };
  }

  /**
   * What an edit makes of a message: the new text may copy a labelled item (raising the label, or refused as its
   * forward would be), and the fingerprint stored becomes the new text's. A forward stays a forward of its source.
   */
  async checkEdit(message: { id: string; roomId: string; senderId: string }, text: string, label: string, room: { ceiling: string; guest_count: number | string }): Promise<EditVerdict> {
    const item: NewItem = { kind: 'message', roomId: message.roomId, senderId: message.senderId, label };
    const verdict = await this.checkCopy(item, await this.fingerprintText(text), room);
    const stored = await findFingerprint(this.deps.db, message.id);
    const forwardOf = stored?.match === 'forward' && stored.origin_id !== null ? stored.origin_id : undefined;
    return {
      ...verdict,
      record: (itemLabel, fingerprint = verdict.fingerprint) => this.recordOf(message.id, { ...item, label: itemLabel }, { ...verdict, fingerprint }, forwardOf),
    };
  }

  /** The audit entry of an item that took a label from the item it copies; none for an item that copies nothing. */
  auditOf(actor: Pick<Actor, 'userId' | 'ip'>, itemId: string, item: NewItem, copiedFrom: CopyProvenance | null): AuditEvent[] {
    if (!copiedFrom) return [];
    const data = { roomId: item.roomId, label: copiedFrom.label, copiedFrom: { kind: copiedFrom.kind, id: copiedFrom.id, roomId: copiedFrom.roomId }, match: copiedFrom.match };
    return [{ actorId: actor.userId, action: 'provenance.copy_labelled', target: { type: item.kind, id: itemId }, data, ip: actor.ip }];
  }

  /** Ids of every message that is a copy of this one (forwards and fingerprint copies, and copies of those). */
  async messageCopiesOf(messageId: string): Promise<string[]> {
    const copies = await this.descendants(messageId);
    return copies.filter((row) => row.item_kind === 'message').map((row) => row.item_id);
  }

  /** For a compliance officer: the first original of an item and all its known copies, without content; audited. */
  async copyChain(actor: Actor, kind: ProvenanceItemKind, id: string): Promise<CopyChainResponse> {
    let origin = await this.itemRow(id);
    if (!origin || origin.item_kind !== kind) throw new AppError(kind === 'message' ? 'MESSAGE_NOT_FOUND' : 'FILE_NOT_FOUND');
    for (let depth = 0; origin.origin_id !== null && depth < CHAIN_DEPTH_MAX; depth += 1) {
      const parent = await this.itemRow(origin.origin_id);
      if (!parent) break;
      origin = parent;
    }
    const copies = await this.descendants(origin.item_id);
    const items = await this.describe([origin, ...copies]);
    await this.deps.db.transaction().execute((trx) =>
      recordAudit(trx, { actorId: actor.userId, action: 'compliance.copy_chain_viewed', target: { type: kind, id }, data: { originId: origin.item_id, copies: copies.length }, ip: actor.ip }),
    );
    return { origin: items[0]!, copies: items.slice(1) };
  }

  /** An item's fingerprint row; for a message stored without one (nothing to remember), the same read from the message. */
  private async itemRow(id: string): Promise<FingerprintRow | undefined> {
    const row = await findFingerprint(this.deps.db, id);
    if (row) return row;
    const message = await findMessage(this.deps.db, id);
    if (!message) return undefined;
    const hashes = { sha256: null, image_hash: null, text_signature: null, origin_id: null, match: null };
    return { item_id: message.id, item_kind: 'message', room_id: message.room_id, sender_id: message.sender_id, label: message.label, created_at: message.created_at, ...hashes };
  }

  /** Copies of an item, level by level, oldest first within a level. */
  private async descendants(itemId: string): Promise<FingerprintRow[]> {
    const found: FingerprintRow[] = [];
    const seen = new Set([itemId]);
    let level = [itemId];
    for (let depth = 0; level.length > 0 && depth < CHAIN_DEPTH_MAX && found.length < CHAIN_ITEMS_MAX; depth += 1) {
      const next = (await copiesOf(this.deps.db, level)).filter((row) => !seen.has(row.item_id));
      for (const row of next) seen.add(row.item_id);
      found.push(...next);
      level = next.map((row) => row.item_id);
    }
    return found.slice(0, CHAIN_ITEMS_MAX);
  }

  private async describe(rows: readonly FingerprintRow[]): Promise<CopyChainItem[]> {
    const names = await roomNames(this.deps.db, this.deps.keys, rows.map((row) => row.room_id));
    return Promise.all(
      rows.map(async (row, index) => {
        const message = row.item_kind === 'message' ? await findMessage(this.deps.db, row.item_id) : undefined;
        return {
          kind: row.item_kind,
          id: row.item_id,
          roomId: row.room_id,
          roomName: names.get(row.room_id) ?? null,
          senderId: row.sender_id,
          createdAt: new Date(Number(row.created_at)).toISOString(),
          label: row.label,
          match: index === 0 ? null : row.match,
          copiedFromId: index === 0 ? null : row.origin_id,
          withdrawn: message !== undefined && (message.deleted_at !== null || message.recalled_at !== null),
        };
      }),
    );
  }

  /** A message's own restrictions; a file has none of its own (the messages carrying it do, checked when forwarded). */
  private async restrictionsOf(row: FingerprintRow): Promise<MessageRestrictions> {
    const message = row.item_kind === 'message' ? await findMessage(this.deps.db, row.item_id) : undefined;
    return restrictionsFromBits(Number(message?.restrictions ?? 0));
  }

  /** The origin room's forwarding policy; a deleted room has none left, and only the label's policy applies. */
  private async roomPolicyOf(row: FingerprintRow): Promise<ForwardingPolicy> {
    return (await findRoom(this.deps.db, row.room_id))?.forwarding ?? 'anywhere';
  }
}
