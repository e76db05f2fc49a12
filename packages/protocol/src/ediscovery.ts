import { z } from 'zod';
import { Id, Timestamp } from './common';
import { RecordsQuery } from './records';

/**
 * What an eDiscovery export covers, one member of this union per way of naming records: a records query, or a
 * legal hold's matter (exactly what its hold keeps).
 */
export const ExportRequest = z.union([z.object({ query: RecordsQuery }), z.object({ matterId: Id })]);
export type ExportRequest = z.infer<typeof ExportRequest>;
export type ExportRequestInput = z.input<typeof ExportRequest>;

/** One file of an export zip as its manifest lists it. */
export const ExportManifestEntry = z.object({
  path: z.string(),
  size: z.number().int().nonnegative(),
  /** SHA-256 of the entry's bytes, hex. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});
export type ExportManifestEntry = z.infer<typeof ExportManifestEntry>;

/**
 * `manifest.json` of an export zip: every other entry with its size and SHA-256, what was asked for, by whom and
 * when. `manifest.sig` holds the audit key's Ed25519 signature of these exact bytes, and `audit-public-key.pem`
 * the key to check it with (which the organisation also keeps elsewhere, so a forger cannot swap both).
 */
export const ExportManifest = z.object({
  format: z.literal('enclave-ediscovery-export/1'),
  exportedAt: Timestamp,
  exportedBy: z.object({ id: Id.nullable(), username: z.string().nullable() }),
  /** What was exported: the request's query (a scheduled export names its day as a query too). */
  query: RecordsQuery,
  /** The legal hold matter exported, when the request named one (its query is `query`). */
  matterId: Id.optional(),
  /**
   * `held`: the items DLP held for review among the records (each a line of messages.jsonl too), apart from
   * `messages`; absent from exports written before held items were exported, which had none.
   */
  counts: z.object({ messages: z.number().int().nonnegative(), held: z.number().int().nonnegative().default(0), files: z.number().int().nonnegative(), rooms: z.number().int().nonnegative() }),
  /**
   * The trace code issued to the officer who asked for the export (leak tracing): also printed at the top of the
   * transcript and in every EML's `X-Enclave-Trace-Code`, so a leaked part names whose export it came from. Absent
   * from the daily export, which no one asks for, and from exports written before exports were traced.
   */
  traceCode: z.string().optional(),
  /** Files the records carry whose stored bytes are damaged (they do not decrypt): listed, but not in the zip. */
  unreadableFileIds: z.array(Id),
  /** The audit key's id (`AuditSigningKey.keyId`): which public key the signature is checked with. */
  auditKeyId: z.string(),
  entries: z.array(ExportManifestEntry),
});
export type ExportManifest = z.infer<typeof ExportManifest>;

/** The names of the entries that make the manifest checkable; they are not listed in it. */
export const EXPORT_MANIFEST_PATH = 'manifest.json';
export const EXPORT_SIGNATURE_PATH = 'manifest.sig';
export const EXPORT_PUBLIC_KEY_PATH = 'audit-public-key.pem';
