import type { DlpApprovalReason, DlpDetector, DlpRule } from '@enclave/protocol';
import type { Detector } from './detectors';

/**
 * Ordinary work messages in both languages, none with anything a DLP rule should care about. A review rule that
 * matches most of them does not look for something: it holds everything for a reader, which is what separation of
 * duties forbids one person to set up alone.
 */
const ORDINARY_TEXTS = [
  'Good morning, the meeting moved to 3 pm.',
  'Thanks, I will look at it tomorrow.',
  'Can you send me the slides from yesterday?',
  'Lunch at noon?',
  'The build is green again.',
  'ok',
  'See you on Monday',
  'I am working from home today.',
  'Please review the draft when you have time.',
  '👍',
  '早上好，会议改到下午三点。',
  '谢谢，我明天看一下。',
  '能把昨天的幻灯片发给我吗？',
  '中午一起吃饭吗？',
  '好的',
  '周一见',
  '我今天在家办公。',
  '有空的时候请看一下草稿。',
  '收到',
  '项目进度正常。',
];

/** Above this share of ordinary texts matched, a rule counts as matching everything. */
const EVERYTHING_SHARE = 0.5;
/** A room this small, named alone, is one conversation: a review rule on it watches a few people. */
export const SMALL_ROOM_MEMBERS = 10;

/** The one room a rule is scoped to, as far as breadth is concerned. */
export interface ScopedRoom {
  kind: 'channel' | 'group' | 'dm';
  memberCount: number;
}

/**
 * Why a rule needs a second approver, or nothing when it does not: only review rules hold messages for a reader,
 * and of those the ones that see everything, or watch one direct message or one small private group.
 */
export function reasonsForSecondApprover(rule: Pick<DlpRule, 'action' | 'scope'> & { detector: DlpDetector }, compiled: Detector, onlyRoom: ScopedRoom | undefined): DlpApprovalReason[] {
  if (rule.action !== 'review') return [];
  const reasons: DlpApprovalReason[] = [];
  const matched = ORDINARY_TEXTS.filter((text) => compiled.findSpans(text).length > 0).length;
  if (matched / ORDINARY_TEXTS.length > EVERYTHING_SHARE) reasons.push('matches-everything');
  if (onlyRoom && (onlyRoom.kind === 'dm' || (onlyRoom.kind === 'group' && onlyRoom.memberCount <= SMALL_ROOM_MEMBERS))) reasons.push('single-conversation');
  return reasons;
}
