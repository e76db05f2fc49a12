// The data-loss-prevention rules of the bench's DLP cost round: 100 rules of the kinds an organisation writes
// (keyword lists in English and Chinese, RE2 patterns for secrets and reference numbers, the built-in detectors),
// all covering the fan-out channel and all blocking or holding for review, none matching the bench's messages.
// They are created switched off and switched on and off through the admin API around the steps that need them.
import type { EndpointInput, Room } from '@enclave/protocol';
import { EnclaveApiError, type EnclaveClient } from '@enclave/sdk';
import { mapWithLimit } from './concurrency';
import { stampText } from './message-stamp';

export type DlpRuleInput = EndpointInput<'createDlpRule'>['body'];

/** Admin requests in flight at once while creating, switching or deleting the rules. */
const ADMIN_CONCURRENCY = 8;

/**
 * Bench messages as fan-out sends them, with wider numbers than a run produces: every rule is tried on this
 * text by the server's own detectors before the rules are created, so a rule that would refuse bench messages
 * is found at once, by name.
 */
export const BENCH_TEXT_SAMPLE = [
  stampText({ sender: 0, seq: 0, sentAt: 0 }),
  stampText({ sender: 9, seq: 99_999, sentAt: 987_654.321 }),
  stampText({ sender: 123, seq: 1_234_567, sentAt: 12_345_678.901 }),
].join('\n');

/** The 100 rules: 30 keyword lists, 20 regular expressions, 50 built-ins, scoped to cover `room`. */
export function benchDlpRules(room: Pick<Room, 'id' | 'ceiling'>): DlpRuleInput[] {
  // Everywhere, this room by id, or rooms with this room's ceiling: each scope covers the fan-out channel.
  const scopes: DlpRuleInput['scope'][] = [{}, { roomIds: [room.id] }, { ceilings: [room.ceiling] }];
  const scope = (index: number) => scopes[index % scopes.length];
  const action = (index: number): DlpRuleInput['action'] => (index % 2 === 0 ? 'block' : 'review');
  const rules: DlpRuleInput[] = [];
  for (let list = 0; list < KEYWORD_LISTS; list++) {
    const words = keywordList(list);
    rules.push({ name: `Keywords ${list + 1} (${words.length} words)`, detector: { kind: 'keywords', words }, scope: scope(list), action: action(list) });
  }
  PATTERNS.forEach(([name, pattern], index) => {
    rules.push({ name, detector: { kind: 'regex', pattern }, scope: scope(index + 1), action: action(index + 1) });
  });
  for (let index = 0; index < BUILTIN_RULES; index++) {
    const id = BUILTINS[index % BUILTINS.length]!;
    rules.push({ name: `Built-in ${id} ${Math.floor(index / BUILTINS.length) + 1}`, detector: { kind: 'builtin', id }, scope: scope(index + 2), action: action(index) });
  }
  return rules;
}

/**
 * The bench's rules on a running server: created switched off, switched on (and proved in force) before each step
 * that measures them and off before each step it is compared with, deleted at the end. Every switch writes all 100
 * rules, even unchanged, so the steps compared follow the same admin requests (their garbage, their audit rows).
 */
export class BenchDlpRules {
  /** Server CPU of the first send after the rules were switched on less that of the next one: loading and compiling them. */
  readonly reloadCpuMicros: number[] = [];

  private constructor(
    private readonly admin: EnclaveClient,
    private readonly probeRoomId: string,
    private readonly serverCpuMicros: () => Promise<number>,
    private readonly ids: readonly string[],
  ) {}

  /**
   * Checks every rule against the bench's message text with the server's detectors, then creates them all,
   * switched off. Throws naming any rule that would match a bench message. `probe.roomId` must be a room the
   * admin can write to (the first rule covers every room); `probe.serverCpuMicros` reads the server's CPU time.
   */
  static async create(
    admin: EnclaveClient,
    inputs: readonly DlpRuleInput[],
    probe: { roomId: string; serverCpuMicros: () => Promise<number> },
  ): Promise<BenchDlpRules> {
    const matching = await mapWithLimit(inputs, ADMIN_CONCURRENCY, async (input) => {
      const { matches } = await admin.endpoint('testDlpDetector')({ body: { detector: input.detector, text: BENCH_TEXT_SAMPLE } });
      return matches > 0 ? input.name : undefined;
    });
    const wrong = matching.filter((name) => name !== undefined);
    if (wrong.length > 0) throw new Error(`DLP rules that would refuse bench messages: ${wrong.join(', ')}`);
    const ids = await mapWithLimit(inputs, ADMIN_CONCURRENCY, async (input) => (await admin.endpoint('createDlpRule')({ body: { ...input, enabled: false } })).rule.id);
    return new BenchDlpRules(admin, probe.roomId, probe.serverCpuMicros, ids);
  }

  get size(): number {
    return this.ids.length;
  }

  /**
   * Switches every rule on, then sends two messages the first rule blocks: the first proves the rules are in
   * force and makes the server load and compile them before the measured step begins (a node reloads them every
   * 10 s, so a step of a few seconds would otherwise carry a whole reload); the difference in server CPU between
   * the two is the reload's cost.
   */
  async enable(): Promise<void> {
    await this.setEnabled(true);
    const before = await this.serverCpuMicros();
    await this.probe();
    const between = await this.serverCpuMicros();
    await this.probe();
    const after = await this.serverCpuMicros();
    this.reloadCpuMicros.push(between - before - (after - between));
  }

  async disable(): Promise<void> {
    await this.setEnabled(false);
  }

  async remove(): Promise<void> {
    await mapWithLimit(this.ids, ADMIN_CONCURRENCY, (ruleId) => this.admin.endpoint('deleteDlpRule')({ params: { ruleId } }));
  }

  /** The server drops its cached rules on each change made on it, so the next send sees the new state. */
  private async setEnabled(enabled: boolean): Promise<void> {
    await mapWithLimit(this.ids, ADMIN_CONCURRENCY, (ruleId) => this.admin.endpoint('updateDlpRule')({ params: { ruleId }, body: { enabled } }));
  }

  /** A refused message is neither stored nor delivered, so the clients' checks are undisturbed. */
  private async probe(): Promise<void> {
    try {
      await this.admin.endpoint('sendMessage')({ params: { roomId: this.probeRoomId }, body: { text: blockedProbeText() } });
    } catch (error) {
      if (error instanceof EnclaveApiError && error.code === 'DLP_BLOCKED') return;
      throw error;
    }
    throw new Error('the DLP rules are not in force: a message the first rule blocks was delivered');
  }
}

/** A word of the first rule, a blocking keyword list that covers every room: proof the rules are in force. */
function blockedProbeText(): string {
  return `draft of the ${keywordList(0)[0]} announcement`;
}

const KEYWORD_LISTS = 30;
const BUILTIN_RULES = 50;
const BUILTINS = ['prc-id', 'bank-card', 'cn-mobile', 'email', 'marking', 'marking-secret', 'marking-confidential'] as const;

/**
 * List `index`: 20 to 50 words, about a third of them Chinese, each list a different slice of the pools. English
 * keywords match whole words, so none of them is "bench", "t" or a number, the only words in a bench message.
 */
function keywordList(index: number): string[] {
  const size = 20 + ((index * 11) % 31);
  const chinese = Math.round(size / 3);
  const pick = (pool: readonly string[], count: number, offset: number) => Array.from({ length: count }, (_, k) => pool[(offset + k) % pool.length]!);
  return [...pick(ENGLISH_KEYWORDS, size - chinese, index * 7), ...pick(CHINESE_KEYWORDS, chinese, index * 5)];
}

const ENGLISH_KEYWORDS = [
  'Falcon', 'Osprey', 'Kestrel', 'Harrier', 'Merlin', 'Peregrine', 'Condor', 'Albatross', 'Cormorant', 'Nightjar',
  'Skylark', 'Goshawk', 'Kingfisher', 'Starling', 'merger', 'acquisition', 'takeover bid', 'term sheet', 'due diligence',
  'letter of intent', 'earnings preview', 'profit warning', 'insider list', 'quiet period', 'price sensitive',
  'restructuring plan', 'layoff', 'redundancy list', 'severance', 'salary band', 'pay review', 'bonus pool',
  'stock grant', 'performance improvement plan', 'disciplinary hearing', 'medical leave', 'background check',
  'litigation hold', 'settlement offer', 'privileged and confidential', 'attorney client', 'export controlled', 'ITAR',
  'EAR99', 'dual use', 'source code', 'private key', 'root password', 'master key', 'seed phrase', 'recovery codes',
  'customer list', 'rate card', 'bid price', 'unreleased', 'board minutes', 'audit finding', 'whistleblower',
  'data breach', 'incident report', 'penetration test', 'vulnerability report', 'zero day', 'payroll', 'tax return',
  'bank statement', 'passport scan', 'credit report', 'loan application', 'headcount plan', 'reorg', 'spin-off',
  'divestiture', 'joint venture', 'non-disclosure', 'embargoed', 'press release draft', 'patent draft',
  'invention disclosure', 'trade secret', 'blueprint', 'schematic', 'firmware image', 'signing key',
  'production database', 'backup tape', 'admin console',
] as const;

const CHINESE_KEYWORDS = [
  '并购', '收购', '重组', '裁员', '薪酬', '奖金池', '股权激励', '业绩预告', '内幕信息', '尽职调查', '意向书', '投标价格',
  '报价单', '客户名单', '供应商名单', '源代码', '私钥', '根密码', '主密钥', '助记词', '恢复码', '董事会纪要', '审计发现',
  '举报人', '数据泄露', '事件报告', '渗透测试', '漏洞报告', '工资单', '纳税申报', '银行流水', '护照扫描件', '征信报告',
  '贷款申请', '预算草案', '编制计划', '组织调整', '资产剥离', '合资公司', '保密协议', '禁止外传', '新闻稿草稿', '专利草案',
  '商业秘密', '配方', '图纸', '原理图', '固件镜像', '签名密钥', '生产数据库', '管理后台', '仅限内部', '未公开', '招标文件',
  '中标价', '底价', '合同金额', '身份证复印件', '病历', '体检报告', '纪律处分', '背景调查', '诉讼保全', '和解方案', '律师函',
  '出口管制', '两用物项', '猎鹰计划', '鱼鹰项目', '红隼项目', '信天翁计划', '苍鹭项目', '夜鹰项目', '云雀计划', '翠鸟项目',
] as const;

/** Secrets and reference numbers as administrators write them, in RE2 syntax. */
const PATTERNS: readonly (readonly [name: string, pattern: string])[] = [
  ['Partner contract numbers', String.raw`\b(?:ACME|Contoso)-\d{4,}\b`],
  ['AWS access keys', String.raw`\bAKIA[0-9A-Z]{16}\b`],
  ['GitHub tokens', String.raw`\bgh[pousr]_[A-Za-z0-9]{36}\b`],
  ['Stripe live keys', String.raw`\bsk_live_[0-9a-zA-Z]{24,}\b`],
  ['Private keys', String.raw`-----BEGIN (?:RSA |EC |OPENSSH )?PRIVATE KEY-----`],
  ['Slack tokens', String.raw`\bxox[baprs]-[0-9A-Za-z-]{10,48}`],
  ['Project names', String.raw`(?i)\bproject\s+(?:falcon|osprey|kestrel|harrier)\b`],
  ['IBANs', String.raw`\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){3,7}\b`],
  ['Google API keys', String.raw`\bAIza[0-9A-Za-z_-]{35}`],
  ['Passwords in text', String.raw`(?i)\b(?:password|passwd|pwd)\s*[:=]\s*\S{6,}`],
  ['JSON web tokens', String.raw`\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}`],
  ['SWIFT codes', String.raw`(?i)\bSWIFT[: ]+[A-Z]{6}[A-Z0-9]{2}(?:[A-Z0-9]{3})?\b`],
  ['Contract numbers (Chinese)', String.raw`(?:合同|协议)编号[:：]?\s*[A-Z]{2,4}-\d{6,}`],
  ['Invoice numbers', String.raw`\bINV-\d{4}-\d{5,}\b`],
  ['Database URLs with passwords', String.raw`(?i)\b(?:mongodb|postgres(?:ql)?|mysql)://[^\s:@/]+:[^\s@/]+@`],
  ['US social security numbers', String.raw`\b\d{3}-\d{2}-\d{4}\b`],
  ['Chinese passport numbers', String.raw`\b[EG]\d{8}\b`],
  ['Internal only', String.raw`(?i)\binternal[ -]only\b`],
  ['Remote access endpoints', String.raw`\b(?:\d{1,3}\.){3}\d{1,3}:(?:22|3389)\b`],
  ['API keys in text', String.raw`(?i)\bapi[_-]?key\s*[:=]\s*[0-9a-f]{32}\b`],
];
