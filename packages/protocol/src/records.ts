import { z } from 'zod';
import { Id, Timestamp } from './common';
import { LabelId } from './labels';

/**
 * Which records a compliance search, a legal hold's matter or an eDiscovery export covers. Every part narrows:
 * custodians (senders), rooms, a time range, words, a label, whether files are attached. Empty lists mean "any".
 */
export const RecordsQuery = z.object({
  custodianIds: z.array(Id).max(200).default([]),
  roomIds: z.array(Id).max(200).default([]),
  /** Sent at or after this time. */
  from: Timestamp.optional(),
  /** Sent before this time. */
  to: Timestamp.optional(),
  /** Words to find, English or Chinese, as in people's search; the last word also matches as a prefix. */
  words: z.string().trim().max(500).optional(),
  label: LabelId.optional(),
  hasFile: z.boolean().optional(),
});
export type RecordsQuery = z.infer<typeof RecordsQuery>;
export type RecordsQueryInput = z.input<typeof RecordsQuery>;
