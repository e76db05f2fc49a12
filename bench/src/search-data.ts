import { randomUUID } from 'node:crypto';
import { documentWords, encodeBody, indexMessages, insertMessages, Keyring, loadMasterKeysFor, loadSealingKeys, messagePlace, migrateToLatest, openDatabase, searchTermHasher } from '@enclave/server';
import { sql } from 'kysely';
import { seededRandom } from '@enclave/testkit';

/**
 * The search benchmark's data: realistic work chat in Chinese and English, loaded straight into a stopped
 * server's SQLite database. Rows go in through the server's own repository and body codec (sealed under each
 * room's key, with a keyring opened on the same data directory and its master key), and the index through its own
 * indexing code (`indexMessages`, with the words hashed by the server's search key), in batched transactions, so
 * the server finds at start exactly what it would
 * have written itself.
 */

/** Frequent work words: a message draws from them with a Zipf-like bias, so the first are very common. */
const ENGLISH = (
  'deploy meeting review release error server report budget customer design update team test build issue plan ' +
  'data backup network database login password contract invoice schedule project office client support ticket ' +
  'monitor alert latency memory disk upgrade patch rollback staging production feature branch merge request api ' +
  'timeout cache queue worker cluster node config policy audit access invite file upload download share'
).split(' ');
const CHINESE = (
  '错误 文件 会议 部署 服务器 上传 下载 客户 项目 合同 审核 发布 测试 数据 备份 网络 系统 日志 权限 账号 ' +
  '预算 报告 计划 需求 设计 版本 升级 回滚 告警 延迟 内存 磁盘 集群 节点 配置 策略 审计 访问 邀请 共享 ' +
  '通知 安排 确认 检查 处理 完成 问题 方案 同事 领导 财务 采购 合规 安全 加密 保密 密码 登录 失败 成功'
).split(' ');
const CHINESE_GLUE = ['的', '了', '在', '和', '请', '已经', '我们', '今天', '明天', '需要', '可以', '还是', '这个', '那个'];
const ENGLISH_GLUE = ['the', 'a', 'to', 'of', 'for', 'on', 'is', 'we', 'please', 'can', 'with', 'and', 'it', 'this', 'now'];
/** Words each planted in about RARE_MESSAGES messages: the rare end of a real vocabulary. */
export const RARE_ENGLISH = ['zeppelin', 'quokka', 'marzipan', 'fjord', 'xylophone', 'gazebo', 'kiosk', 'walrus'];
export const RARE_CHINESE = ['宕机', '熔断', '灰度', '脱敏', '工单', '巡检', '扩容', '割接'];
const RARE_MESSAGES = 60;

export interface SearchDataShape {
  messages: number;
  /** Each room with its member ids (the searchers' rooms among them). */
  rooms: { id: string; memberIds: string[] }[];
}

export interface LoadedSearchData {
  messages: number;
  seconds: number;
  /** A few message ids per room, as anchors for older history pages. */
  anchors: Map<string, string[]>;
}

const BATCH = 500;
const BATCHES_PER_TRANSACTION = 20;
const SPAN_MS = 365 * 86_400_000;
const ANCHORS_PER_ROOM = 20;

/**
 * Loads `shape.messages` messages into the database in `dataDir`; the server must be stopped. `encrypting` is
 * false only for a data set the server will read with ENCLAVE_ENCRYPTION=off: its text is then stored plain.
 */
export async function loadSearchData(dataDir: string, shape: SearchDataShape, seed = 1, options: { encrypting?: boolean } = {}): Promise<LoadedSearchData> {
  const startedAt = performance.now();
  const random = seededRandom(seed);
  const { db } = openDatabase({ dataDir });
  const anchors = new Map<string, string[]>(shape.rooms.map((room) => [room.id, []]));
  try {
    // As the server starts: the master key is checked before migrations write.
    const masters = await loadMasterKeysFor(db, { dataDir });
    await migrateToLatest(db);
    const keys = await Keyring.open(db, masters, { encrypting: options.encrypting ?? true });
    await loadSealingKeys(db, keys, shape.rooms.map((room) => room.id));
    const terms = searchTermHasher(keys.key('search'));
    // A throw-away database: no fsync, and a cache big enough that the room indexes' random inserts stay in memory.
    await sql`PRAGMA synchronous = OFF`.execute(db);
    await sql`PRAGMA cache_size = -524288`.execute(db);
    const head = Number((await db.selectFrom('log_head').select('position').executeTakeFirstOrThrow()).position);
    const rare = plantRareWords(shape.messages, random);
    const now = Date.now();
    const perTransaction = BATCH * BATCHES_PER_TRANSACTION;
    for (let first = 0; first < shape.messages; first += perTransaction) {
      await db.transaction().execute(async (trx) => {
        for (let start = first; start < Math.min(first + perTransaction, shape.messages); start += BATCH) {
          const rows = [];
          for (let index = start; index < Math.min(start + BATCH, shape.messages); index++) {
            const room = shape.rooms[Math.floor(random() * shape.rooms.length)]!;
            const text = messageText(random, rare.get(index));
            const id = randomUUID();
            const roomAnchors = anchors.get(room.id)!;
            if (roomAnchors.length < ANCHORS_PER_ROOM && random() < 0.01) roomAnchors.push(id);
            rows.push({
              id,
              room_id: room.id,
              sender_id: room.memberIds[Math.floor(random() * room.memberIds.length)]!,
              body: encodeBody(keys, messagePlace(room.id, id), text),
              thread_root_id: null,
              client_id: null,
              position: head + 1 + index,
              created_at: now - SPAN_MS + Math.floor((index / shape.messages) * SPAN_MS),
              text,
            });
          }
          await insertMessages(trx, rows.map(({ text: _text, ...row }) => row));
          await indexMessages(trx, rows.map((row) => ({ position: row.position, terms: terms.documentTerms(documentWords([row.text])) })));
        }
      });
    }
    await db.updateTable('log_head').set({ position: head + shape.messages }).execute();
    await db.updateTable('rooms').set({ last_message_at: now }).execute();
    return { messages: shape.messages, seconds: (performance.now() - startedAt) / 1000, anchors };
  } finally {
    await db.destroy();
  }
}

/** One chat line: Chinese runs without spaces, English with them, mixed in about a third of messages. */
function messageText(random: () => number, rareWord: string | undefined): string {
  const language = random();
  const parts: string[] = [];
  const length = 4 + Math.floor(random() * 14);
  for (let i = 0; i < length; i++) {
    const chinese = language < 0.4 || (language < 0.7 && random() < 0.5);
    const glue = random() < 0.35;
    parts.push(chinese ? pick(random, glue ? CHINESE_GLUE : CHINESE) : ` ${pick(random, glue ? ENGLISH_GLUE : ENGLISH)} `);
  }
  if (rareWord) parts.splice(Math.floor(random() * parts.length), 0, /\p{Script=Han}/u.test(rareWord) ? rareWord : ` ${rareWord} `);
  const text = parts.join('').replace(/\s+/g, ' ').trim();
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}${random() < 0.5 ? '。' : '.'}`;
}

/** Which message gets which rare word: each word lands in RARE_MESSAGES messages spread over the whole history. */
function plantRareWords(messages: number, random: () => number): Map<number, string> {
  const planted = new Map<number, string>();
  for (const word of [...RARE_ENGLISH, ...RARE_CHINESE]) {
    for (let i = 0; i < RARE_MESSAGES; i++) planted.set(Math.floor(random() * messages), word);
  }
  return planted;
}

/** Zipf-like: the word at rank r is drawn with weight 1/(r+1). */
function pick(random: () => number, words: readonly string[]): string {
  const u = random();
  const rank = Math.floor(Math.exp(u * Math.log(words.length + 1))) - 1;
  return words[Math.min(words.length - 1, Math.max(0, rank))]!;
}
