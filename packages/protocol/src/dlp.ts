import { z } from 'zod';
import { Id, Timestamp } from './common';
import { LabelId } from './labels';

/**
 * Detectors that validate what they match, not just its shape. `marking` finds every classification marking;
 * `marking-secret` only 绝密 / TOP SECRET / SECRET and `marking-confidential` only 机密 / 秘密 / CONFIDENTIAL.
 */
export const BuiltinDetectorId = z.enum(['prc-id', 'bank-card', 'cn-mobile', 'email', 'marking', 'marking-secret', 'marking-confidential']);
export type BuiltinDetectorId = z.infer<typeof BuiltinDetectorId>;

export const DLP_KEYWORDS_MAX = 2000;
export const DLP_PATTERN_MAX = 500;

/**
 * What a rule looks for. Keywords match English whole words (case-insensitive) and Chinese as substrings; a
 * regular expression runs on a linear-time engine, so no pattern can stall the server.
 */
export const DlpDetector = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('builtin'), id: BuiltinDetectorId }),
  z.object({
    kind: z.literal('keywords'),
    words: z.array(z.string().trim().min(1).max(100)).min(1).max(DLP_KEYWORDS_MAX),
  }),
  z.object({ kind: z.literal('regex'), pattern: z.string().min(1).max(DLP_PATTERN_MAX) }),
]);
export type DlpDetector = z.infer<typeof DlpDetector>;

/** Who a rule protects: a room is in scope when it meets every condition given (`{}` is everywhere). */
export const DlpAudience = z.enum(['guests', 'other-departments']);
export type DlpAudience = z.infer<typeof DlpAudience>;
export const DlpScope = z.object({
  roomIds: z.array(Id).min(1).max(1000).optional(),
  /** Rooms whose ceiling is one of these labels. */
  ceilings: z.array(LabelId).min(1).max(50).optional(),
  /** Rooms with guests, or with people outside the sender's departments (any one of those listed). */
  audiences: z.array(DlpAudience).min(1).max(2).optional(),
});
export type DlpScope = z.infer<typeof DlpScope>;

/**
 * What happens on a match: `warn` asks the sender to confirm (the guard's token), `redact` masks the match before
 * anyone receives it, `block` refuses with DLP_BLOCKED, `review` holds the message for a compliance officer, `label`
 * only raises the label to the rule's `raisesLabelTo` (which any rule may name besides its action).
 */
export const DlpAction = z.enum(['warn', 'redact', 'block', 'review', 'label']);
export type DlpAction = z.infer<typeof DlpAction>;

export const DlpRuleName = z.string().trim().min(1).max(80);
export const DlpRule = z.object({
  id: Id,
  name: DlpRuleName,
  detector: DlpDetector,
  scope: DlpScope,
  action: DlpAction,
  /** What a match raises the label of a message or file to at least (before the ceiling check and the guard). */
  raisesLabelTo: LabelId.nullable(),
  enabled: z.boolean(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type DlpRule = z.infer<typeof DlpRule>;

export const DlpRuleCreateRequest = z
  .object({
    name: DlpRuleName,
    detector: DlpDetector,
    scope: DlpScope.default({}),
    action: DlpAction,
    raisesLabelTo: LabelId.nullable().default(null),
    enabled: z.boolean().default(true),
  })
  .refine((v) => v.action !== 'label' || v.raisesLabelTo !== null, { message: 'a label rule names the label it raises to', path: ['raisesLabelTo'] });
export const DlpRuleUpdateRequest = z
  .object({
    name: DlpRuleName.optional(),
    detector: DlpDetector.optional(),
    scope: DlpScope.optional(),
    action: DlpAction.optional(),
    raisesLabelTo: LabelId.nullable().optional(),
    enabled: z.boolean().optional(),
  })
  .refine((v) => Object.values(v).some((value) => value !== undefined), 'nothing to change');
export const DlpRuleIdParams = z.object({ ruleId: Id });
export const DlpRuleResponse = z.object({ rule: DlpRule });
export const DlpRuleListResponse = z.object({ rules: z.array(DlpRule) });
/** Try a detector on sample text before saving a rule: how many matches, never the matches themselves. */
export const DlpTestRequest = z.object({ detector: DlpDetector, text: z.string().max(10_000) });
export const DlpTestResponse = z.object({ matches: z.number().int().nonnegative() });

/** A rule a message hit, as the sender and the reviewer see it: which rule, never the matched text. */
export const DlpRuleRef = z.object({ id: Id, name: z.string(), action: DlpAction });
export type DlpRuleRef = z.infer<typeof DlpRuleRef>;
/**
 * A file DLP could not read to its end (encrypted, damaged, or past an extraction limit). Rules fail closed on it:
 * every rule that applies to the room counts as matching, and the refusal names the file so the sender knows why.
 */
export const UnreadFile = z.object({ id: Id, name: z.string() });
export type UnreadFile = z.infer<typeof UnreadFile>;
/** What the sender is told in DLP_BLOCKED's data. */
export const DlpBlockedData = z.object({ rules: z.array(DlpRuleRef), unreadFiles: z.array(UnreadFile).optional() });
