import { randomUUID } from 'node:crypto';
import type { DlpDetector, DlpRuleRef, DlpScope } from '@enclave/protocol';
import type { RoomAudience } from '../protection/room-audience';
import { detectorSpans } from '../worker-pool/cpu-tasks';
import { INLINE_MAX_CHARS, type CpuWorkPool } from '../worker-pool/cpu-work-pool';
import type { Detector, Span } from './detectors';

export interface CompiledRule {
  ref: DlpRuleRef;
  scope: DlpScope;
  detector: Detector;
  /** The detector as the admin wrote it: what a worker thread compiles for itself to scan long text. */
  definition: DlpDetector;
  /** The label this rule's matches raise content to at least, or null. */
  raisesLabelTo: string | null;
}

/**
 * Why a scan runs: `policy` looks for the rules that act on a send (warn, redact, block, review); `label` for the
 * rules that raise the label of what they match, which runs first, before the ceiling check and the guard.
 */
export type ScanPurpose = 'policy' | 'label';

/** One rule that matched, with where; the spans stay on the server (to redact), never in a log or an answer. */
export interface DlpFinding {
  rule: DlpRuleRef;
  spans: Span[];
  /** The label the rule raises what it matched to, when it names one. */
  raisesLabelTo?: string;
}

/** The enabled rules, compiled once; every send, edit and forward is scanned by the rules whose scope covers it. */
export class DlpRuleSet {
  /** Names this set to the worker threads, which keep it compiled: a changed rule makes a new set. */
  private readonly id = randomUUID();
  private readonly definitions: DlpDetector[];
  private readonly detectors: Detector[];

  constructor(private readonly rules: readonly CompiledRule[]) {
    this.definitions = rules.map((rule) => rule.definition);
    this.detectors = rules.map((rule) => rule.detector);
  }

  get size(): number {
    return this.rules.length;
  }

  /**
   * The rules whose scope covers the room and whose detector matches the text. Long text is scanned on the CPU
   * work pool, short text here; undefined when the pool could not scan it to the end (past its time, a crashed
   * thread), which the caller must treat as text that could not be read.
   */
  async scan(text: string, audience: RoomAudience, work: CpuWorkPool, purpose: ScanPurpose = 'policy'): Promise<DlpFinding[] | undefined> {
    const wanted = this.rules.flatMap((rule, index) => (servesPurpose(rule, purpose) && coversRoom(rule.scope, audience) ? [index] : []));
    if (wanted.length === 0) return [];
    const spans =
      text.length <= INLINE_MAX_CHARS
        ? detectorSpans(this.detectors, wanted, text)
        : await work.run({ kind: 'dlp-spans', ruleSetId: this.id, detectors: this.definitions, wanted, text });
    if (!spans) return undefined;
    const findings: DlpFinding[] = [];
    for (const [at, index] of wanted.entries()) {
      const rule = this.rules[index]!;
      // The audience condition is checked last, after a match: it may need a query, and most texts match nothing.
      if (spans[at]!.length > 0 && (await coversAudience(rule.scope, audience))) findings.push({ rule: rule.ref, spans: spans[at]!, ...(rule.raisesLabelTo === null ? {} : { raisesLabelTo: rule.raisesLabelTo }) });
    }
    return findings;
  }

  /**
   * The policy rules whose scope covers this room and audience, matched or not: what content that cannot be scanned
   * answers to. Rules that only raise labels are not among them: a label is raised by what was read.
   */
  async applyingTo(audience: RoomAudience): Promise<DlpRuleRef[]> {
    const applying: DlpRuleRef[] = [];
    for (const rule of this.rules) if (servesPurpose(rule, 'policy') && coversRoom(rule.scope, audience) && (await coversAudience(rule.scope, audience))) applying.push(rule.ref);
    return applying;
  }
}

/** Every rule but a label-only one acts on sends; any rule that names a label raises it. */
function servesPurpose(rule: CompiledRule, purpose: ScanPurpose): boolean {
  return purpose === 'policy' ? rule.ref.action !== 'label' : rule.raisesLabelTo !== null;
}

// A rule applies where every condition it names holds; among audiences, any one listed is enough.
function coversRoom(scope: DlpScope, audience: RoomAudience): boolean {
  if (scope.roomIds && !scope.roomIds.includes(audience.room.id)) return false;
  return !scope.ceilings || scope.ceilings.includes(audience.room.ceiling);
}

async function coversAudience(scope: DlpScope, audience: RoomAudience): Promise<boolean> {
  if (!scope.audiences) return true;
  if (scope.audiences.includes('guests') && audience.guestCount > 0) return true;
  return scope.audiences.includes('other-departments') && (await audience.spansOtherDepartments());
}
