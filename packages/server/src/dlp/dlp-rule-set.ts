import { randomUUID } from 'node:crypto';
import type { DlpDetector, DlpRuleRef, DlpScope } from '@enclave/protocol';
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
 * Where scanned text goes, as a rule's scope asks about it: a room's messages (RoomAudience), or a name shown in a
 * room or to everyone.
 */
export interface ScanAudience {
  room: { id: string; ceiling: string };
  guestCount: number;
  spansOtherDepartments(): Promise<boolean>;
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
  async scan(text: string, audience: ScanAudience, work: CpuWorkPool, purpose: ScanPurpose = 'policy'): Promise<DlpFinding[] | undefined> {
    const wanted = this.rules.flatMap((rule, index) => (servesPurpose(rule, purpose) && coversRoom(rule.scope, audience) ? [index] : []));
    return this.findingsOf(text, wanted, audience, work);
  }

  /**
   * The findings in a message that need the sender's earlier messages in the room (see recent-texts.ts): matches of
   * the number detectors and patterns in `earlier` and `text` joined that start in the earlier part and end in this
   * text, with spans clipped to this text. Matches wholly in `text` are `scan`'s; wholly earlier ones were answered
   * when those messages were sent. Undefined as for `scan`.
   */
  async scanAfter(earlier: string, text: string, audience: ScanAudience, work: CpuWorkPool): Promise<DlpFinding[] | undefined> {
    if (earlier.length === 0 || text.length === 0) return [];
    const wanted = this.rules.flatMap((rule, index) => (servesPurpose(rule, 'policy') && readsAcrossMessages(rule.definition) && coversRoom(rule.scope, audience) ? [index] : []));
    const offset = earlier.length + 1;
    const findings = await this.findingsOf(`${earlier} ${text}`, wanted, audience, work);
    return findings?.flatMap((finding) => {
      const spans = finding.spans.filter(([start, end]) => start < earlier.length && end > offset).map(([start, end]): Span => [Math.max(start, offset) - offset, end - offset]);
      return spans.length > 0 ? [{ rule: finding.rule, spans }] : [];
    });
  }

  private async findingsOf(text: string, wanted: number[], audience: ScanAudience, work: CpuWorkPool): Promise<DlpFinding[] | undefined> {
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
   * The rules with no room restriction whose detector matches: what text everyone may see answers to, such as a
   * display name, shown in every room its person is in whatever that room's ceiling or audience. For short text
   * only (names), which is scanned here.
   */
  scanEverywhere(text: string): DlpFinding[] {
    const wanted = this.rules.flatMap((rule, index) => (servesPurpose(rule, 'policy') && !rule.scope.roomIds ? [index] : []));
    if (wanted.length === 0) return [];
    const spans = detectorSpans(this.detectors, wanted, text);
    return wanted.flatMap((index, at) => (spans[at]!.length > 0 ? [{ rule: this.rules[index]!.ref, spans: spans[at]! }] : []));
  }

  /**
   * The policy rules whose scope covers this room and audience, matched or not: what content that cannot be scanned
   * answers to. Rules that only raise labels are not among them: a label is raised by what was read.
   */
  async applyingTo(audience: ScanAudience): Promise<DlpRuleRef[]> {
    const applying: DlpRuleRef[] = [];
    for (const rule of this.rules) if (servesPurpose(rule, 'policy') && coversRoom(rule.scope, audience) && (await coversAudience(rule.scope, audience))) applying.push(rule.ref);
    return applying;
  }
}

/** Numbers and administrators' patterns can be split over messages; a keyword or marking split in two is not one. */
function readsAcrossMessages(detector: DlpDetector): boolean {
  return detector.kind === 'regex' || (detector.kind === 'builtin' && (detector.id === 'prc-id' || detector.id === 'bank-card' || detector.id === 'cn-mobile'));
}

/** Every rule but a label-only one acts on sends; any rule that names a label raises it. */
function servesPurpose(rule: CompiledRule, purpose: ScanPurpose): boolean {
  return purpose === 'policy' ? rule.ref.action !== 'label' : rule.raisesLabelTo !== null;
}

// A rule applies where every condition it names holds; among audiences, any one listed is enough.
function coversRoom(scope: DlpScope, audience: ScanAudience): boolean {
  if (scope.roomIds && !scope.roomIds.includes(audience.room.id)) return false;
  return !scope.ceilings || scope.ceilings.includes(audience.room.ceiling);
}

async function coversAudience(scope: DlpScope, audience: ScanAudience): Promise<boolean> {
  if (!scope.audiences) return true;
  if (scope.audiences.includes('guests') && audience.guestCount > 0) return true;
  return scope.audiences.includes('other-departments') && (await audience.spansOtherDepartments());
}
