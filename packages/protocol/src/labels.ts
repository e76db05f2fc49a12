import { z } from 'zod';

/** A label's stable id: lower-case letters, digits and dashes, such as `confidential`. */
export const LabelId = z.string().regex(/^[a-z][a-z0-9-]{1,31}$/, 'lower-case letters, digits and dashes, starting with a letter');
export const LabelColour = z.string().regex(/^#[0-9a-f]{6}$/i, 'a colour like #d97706');

/**
 * Where a message may be forwarded: `anywhere` (into any room whose ceiling covers its label, which every forward
 * needs since a forward never lowers a label), `internal` (only into rooms without guests), or `never`.
 */
export const ForwardingPolicy = z.enum(['anywhere', 'internal', 'never']);
export type ForwardingPolicy = z.infer<typeof ForwardingPolicy>;

/**
 * A classification label. Labels are ordered by rank (higher is more sensitive): a room has a ceiling, a person a
 * clearance, a message a label, and the server compares ranks.
 */
export const Label = z.object({
  id: LabelId,
  rank: z.number().int().nonnegative(),
  names: z.object({ en: z.string(), 'zh-CN': z.string() }),
  colour: LabelColour,
  /** Where a message with this label may be forwarded. */
  forwarding: ForwardingPolicy,
  /** Whether the web client lets people select and copy such messages (a deterrent, not a guarantee). */
  copyAllowed: z.boolean(),
  /** Whether files with this label may be downloaded, or only viewed inline. */
  downloadAllowed: z.boolean(),
  /** Whether what carries this label is watermarked with a per-viewer trace code (in rooms marked by label). */
  marked: z.boolean(),
});
export type Label = z.infer<typeof Label>;

export const LabelListResponse = z.object({ labels: z.array(Label) });
export const LabelResponse = z.object({ label: Label });
const LabelNames = z.object({ en: z.string().trim().min(1).max(40), 'zh-CN': z.string().trim().min(1).max(40) });
/** A new label goes in at `rank`; labels at or above it move up one. */
export const LabelCreateRequest = z.object({
  id: LabelId,
  names: LabelNames,
  colour: LabelColour,
  rank: z.number().int().nonnegative(),
  forwarding: ForwardingPolicy.default('anywhere'),
  copyAllowed: z.boolean().default(true),
  downloadAllowed: z.boolean().default(true),
  marked: z.boolean().default(false),
});
export const LabelUpdateRequest = z
  .object({
    names: LabelNames.optional(),
    colour: LabelColour.optional(),
    forwarding: ForwardingPolicy.optional(),
    copyAllowed: z.boolean().optional(),
    downloadAllowed: z.boolean().optional(),
    marked: z.boolean().optional(),
  })
  .refine((v) => Object.values(v).some((value) => value !== undefined), 'nothing to change');
export type LabelCreateRequest = z.infer<typeof LabelCreateRequest>;
export type LabelUpdateRequest = z.infer<typeof LabelUpdateRequest>;
export const LabelIdParams = z.object({ labelId: LabelId });
