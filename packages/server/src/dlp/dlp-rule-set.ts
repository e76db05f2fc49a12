import type { DlpRuleRef, DlpScope } from '@enclave/protocol';
import type { RoomAudience } from '../protection/room-audience';
import type { Detector, Span } from './detectors';

export interface CompiledRule {
  ref: DlpRuleRef;
  scope: DlpScope;
  detector: Detector;
}

/** One rule that matched, with where; the spans stay on the server (to redact), never in a log or an answer. */
export interface DlpFinding {
  rule: DlpRuleRef;
  spans: Span[];
}

/** The enabled rules, compiled once; every send, edit and forward is scanned by the rules whose scope covers it. */
export class DlpRuleSet {
  constructor(private readonly rules: readonly CompiledRule[]) {}

  get size(): number {
    return this.rules.length;
  }

  async scan(text: string, audience: RoomAudience): Promise<DlpFinding[]> {
    const findings: DlpFinding[] = [];
    // Rules naming the same built-in share one detector: each scans the text once per message.
    const scanned = new Map<Detector, Span[]>();
    for (const rule of this.rules) {
      if (!coversRoom(rule.scope, audience)) continue;
      if (rule.detector.test && !rule.detector.test(text)) continue;
      let spans = scanned.get(rule.detector);
      if (!spans) {
        spans = rule.detector.findSpans(text);
        scanned.set(rule.detector, spans);
      }
      // The audience condition is checked last, after a match: it may need a query, and most texts match nothing.
      if (spans.length > 0 && (await coversAudience(rule.scope, audience))) findings.push({ rule: rule.ref, spans });
    }
    return findings;
  }

  /** The rules whose scope covers this room and audience, matched or not: what content that cannot be scanned answers to. */
  async applyingTo(audience: RoomAudience): Promise<DlpRuleRef[]> {
    const applying: DlpRuleRef[] = [];
    for (const rule of this.rules) if (coversRoom(rule.scope, audience) && (await coversAudience(rule.scope, audience))) applying.push(rule.ref);
    return applying;
  }
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
