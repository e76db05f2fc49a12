import { z } from 'zod';

/** A label's stable id: lower-case letters, digits and dashes, such as `confidential`. */
export const LabelId = z.string().regex(/^[a-z][a-z0-9-]{1,31}$/, 'lower-case letters, digits and dashes, starting with a letter');
export const LabelColour = z.string().regex(/^#[0-9a-f]{6}$/i, 'a colour like #d97706');

/**
 * A classification label. Labels are ordered by rank (higher is more sensitive): a room has a ceiling, a person a
 * clearance, a message a label, and the server compares ranks.
 */
export const Label = z.object({
  id: LabelId,
  rank: z.number().int().nonnegative(),
  names: z.object({ en: z.string(), 'zh-CN': z.string() }),
  colour: LabelColour,
});
export type Label = z.infer<typeof Label>;

export const LabelListResponse = z.object({ labels: z.array(Label) });
export const LabelResponse = z.object({ label: Label });
const LabelNames = z.object({ en: z.string().trim().min(1).max(40), 'zh-CN': z.string().trim().min(1).max(40) });
/** A new label goes in at `rank`; labels at or above it move up one. */
export const LabelCreateRequest = z.object({ id: LabelId, names: LabelNames, colour: LabelColour, rank: z.number().int().nonnegative() });
export const LabelUpdateRequest = z
  .object({ names: LabelNames.optional(), colour: LabelColour.optional() })
  .refine((v) => v.names !== undefined || v.colour !== undefined, 'nothing to change');
export const LabelIdParams = z.object({ labelId: LabelId });
