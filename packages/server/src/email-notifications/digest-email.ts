import type { Locale } from '@enclave/protocol';

/** What one digest tells: counts, and the names of rooms it may name (null for a room it must not). */
export interface DigestSummary {
  mentions: number;
  /** One entry per room with mentions: its name, or null when the room is not to be named. */
  mentionRooms: (string | null)[];
  directMessages: number;
  conversations: number;
}

/**
 * The digest's subject and text. Counts and room names only, never a message's text, its sender or a label's
 * name, so nothing the organisation keeps inside Enclave reaches a mailbox; the link brings the person back in.
 */
export function digestEmail(locale: Locale, summary: DigestSummary, link: string): { subject: string; text: string } {
  return locale === 'zh-CN' ? chinese(summary, link) : english(summary, link);
}

function english(summary: DigestSummary, link: string): { subject: string; text: string } {
  const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;
  const parts: string[] = [];
  const lines: string[] = [];
  if (summary.mentions > 0) {
    parts.push(plural(summary.mentions, 'new mention', 'new mentions'));
    const named = summary.mentionRooms.filter((name): name is string => name !== null).map((name) => `#${name}`);
    const unnamed = summary.mentionRooms.length - named.length;
    const names = [...named, ...(unnamed > 0 ? [named.length > 0 ? plural(unnamed, 'other room', 'other rooms') : plural(unnamed, 'room', 'rooms')] : [])];
    lines.push(`- ${plural(summary.mentions, 'mention', 'mentions')} in ${plural(summary.mentionRooms.length, 'room', 'rooms')}${named.length > 0 ? `: ${joinEnglish(names)}` : ''}`);
  }
  if (summary.directMessages > 0) {
    parts.push(plural(summary.directMessages, 'direct message', 'direct messages'));
    lines.push(`- ${plural(summary.directMessages, 'direct message', 'direct messages')} in ${plural(summary.conversations, 'conversation', 'conversations')}`);
  }
  return {
    subject: `Enclave: ${parts.join(', ')}`,
    text: [
      'Hello,',
      '',
      'While you were away, you received:',
      ...lines,
      '',
      `Open Enclave to read them: ${link}`,
      '',
      'This e-mail only says how many; the messages stay in Enclave. You can switch these e-mails off in your profile, under Notifications.',
      '',
    ].join('\n'),
  };
}

function chinese(summary: DigestSummary, link: string): { subject: string; text: string } {
  const parts: string[] = [];
  const lines: string[] = [];
  if (summary.mentions > 0) {
    parts.push(`${summary.mentions} 条新提及`);
    const named = summary.mentionRooms.filter((name): name is string => name !== null).map((name) => `#${name}`);
    const unnamed = summary.mentionRooms.length - named.length;
    const names = named.join('、') + (unnamed > 0 && named.length > 0 ? ` 及另外 ${unnamed} 个聊天室` : '');
    lines.push(`- 在 ${summary.mentionRooms.length} 个聊天室中被提及 ${summary.mentions} 次${named.length > 0 ? `：${names}` : ''}`);
  }
  if (summary.directMessages > 0) {
    parts.push(`${summary.directMessages} 条私信`);
    lines.push(`- ${summary.conversations} 个会话中的 ${summary.directMessages} 条私信`);
  }
  return {
    subject: `Enclave：${parts.join('，')}`,
    text: ['您好：', '', '您离开期间收到：', ...lines, '', `打开 Enclave 查看：${link}`, '', '本邮件只告知数量，消息内容仅保留在 Enclave 中。您可以在个人资料的“通知”中关闭这些邮件。', ''].join('\n'),
  };
}

function joinEnglish(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
