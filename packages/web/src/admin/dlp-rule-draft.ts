import type { BuiltinDetectorId, DlpAction, DlpAudience, DlpDetector, DlpRule, DlpScope } from '@enclave/protocol';

/** A rule as the form holds it while it is being written: every detector's fields at once, so switching kind loses nothing. */
export interface DlpRuleDraft {
  name: string;
  detectorKind: DlpDetector['kind'];
  builtin: BuiltinDetectorId;
  /** One keyword per line. */
  keywords: string;
  pattern: string;
  /** Everywhere, or only rooms that meet every condition below that is set. */
  everywhere: boolean;
  roomIds: string[];
  ceilings: string[];
  audiences: DlpAudience[];
  action: DlpAction;
  /** The label a match raises content to, or null for none; a `label` rule needs one. */
  raisesLabelTo: string | null;
  enabled: boolean;
}

export const EMPTY_DRAFT: DlpRuleDraft = {
  name: '',
  detectorKind: 'keywords',
  builtin: 'prc-id',
  keywords: '',
  pattern: '',
  everywhere: true,
  roomIds: [],
  ceilings: [],
  audiences: [],
  action: 'warn',
  raisesLabelTo: null,
  enabled: true,
};

export function draftOf(rule: DlpRule | undefined): DlpRuleDraft {
  if (!rule) return EMPTY_DRAFT;
  const { detector, scope } = rule;
  return {
    name: rule.name,
    detectorKind: detector.kind,
    builtin: detector.kind === 'builtin' ? detector.id : EMPTY_DRAFT.builtin,
    keywords: detector.kind === 'keywords' ? detector.words.join('\n') : '',
    pattern: detector.kind === 'regex' ? detector.pattern : '',
    everywhere: !scope.roomIds && !scope.ceilings && !scope.audiences,
    roomIds: scope.roomIds ?? [],
    ceilings: scope.ceilings ?? [],
    audiences: scope.audiences ?? [],
    action: rule.action,
    raisesLabelTo: rule.raisesLabelTo,
    enabled: rule.enabled,
  };
}

/** The keywords of the textarea: one a line, blank lines and surrounding spaces dropped, each once. */
export function keywordsOf(text: string): string[] {
  return [...new Set(text.split('\n').map((line) => line.trim()).filter((line) => line.length > 0))];
}

export function detectorOf(draft: DlpRuleDraft): DlpDetector {
  switch (draft.detectorKind) {
    case 'builtin':
      return { kind: 'builtin', id: draft.builtin };
    case 'keywords':
      return { kind: 'keywords', words: keywordsOf(draft.keywords) };
    case 'regex':
      return { kind: 'regex', pattern: draft.pattern };
  }
}

/** The scope on the wire: only the conditions chosen, `{}` for everywhere. */
export function scopeOf(draft: DlpRuleDraft): DlpScope {
  if (draft.everywhere) return {};
  return {
    ...(draft.roomIds.length > 0 ? { roomIds: draft.roomIds } : {}),
    ...(draft.ceilings.length > 0 ? { ceilings: draft.ceilings } : {}),
    ...(draft.audiences.length > 0 ? { audiences: draft.audiences } : {}),
  };
}

/** Whether the detector has something to look for; the server would refuse it otherwise. */
export function detectorComplete(draft: DlpRuleDraft): boolean {
  if (draft.detectorKind === 'keywords') return keywordsOf(draft.keywords).length > 0;
  if (draft.detectorKind === 'regex') return draft.pattern.length > 0;
  return true;
}

/** "Only where…" with nothing chosen would silently mean everywhere, so the form asks for a condition instead. */
export function scopeComplete(draft: DlpRuleDraft): boolean {
  return draft.everywhere || Object.keys(scopeOf(draft)).length > 0;
}

/** A rule whose only action is to raise a label must say which label. */
export function raiseComplete(draft: DlpRuleDraft): boolean {
  return draft.action !== 'label' || draft.raisesLabelTo !== null;
}
