import { formatTraceCode } from '@enclave/protocol';
import { stringify } from 'csv-stringify/sync';
import type { ExportRecord } from './export-records';

/**
 * The plain-text views of records in an export: JSON Lines (everything), the CSV summary (one row each) and the
 * HTML transcript (readable, per room in time order). Pure functions of records, so each is written a batch at a
 * time as the selection is read.
 */
export function jsonLines(records: readonly ExportRecord[]): string {
  return records.map((record) => `${JSON.stringify(record)}\n`).join('');
}

const csvColumns = ['id', 'sentAt', 'roomId', 'roomName', 'senderId', 'senderUsername', 'senderDisplayName', 'label', 'state', 'review', 'editedAt', 'versions', 'threadRootId', 'replies', 'reactions', 'files', 'text'];

export function csvHeader(): string {
  return stringify([csvColumns]);
}

export function csvRows(records: readonly ExportRecord[]): string {
  return stringify(
    records.map((record) => [
      record.id,
      record.createdAt,
      record.roomId,
      record.roomName ?? '',
      record.sender.id,
      record.sender.username ?? '',
      record.sender.displayName ?? '',
      record.label,
      stateOf(record),
      record.held?.status ?? '',
      record.editedAt ?? '',
      record.versions.length,
      record.threadRootId ?? '',
      record.replyIds.length,
      record.reactions.length,
      record.files.map((file) => file.name).join('; '),
      // A spreadsheet would run text starting with = + - @ as a formula; a leading apostrophe keeps it text.
      neutralised(record.text ?? ''),
    ]),
  );
}

/** One word for what became of a record; `held` (an item DLP held for review) first, as it may never have been delivered. */
export function stateOf(record: ExportRecord): string {
  if (record.held !== null) return 'held';
  if (record.text === null) return 'unreadable';
  if (record.recalled) return 'recalled';
  if (record.deleted) return 'deleted';
  if (record.hiddenAt !== null) return 'hidden';
  return record.editedAt === null ? 'sent' : 'edited';
}

function neutralised(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => entities[c]!);
}

export function transcriptHead(exportedAt: string, exportedFor?: { username: string | null; traceCode: string }): string {
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>eDiscovery export ${escape(exportedAt)}</title>
<style>body{font:14px system-ui,sans-serif;margin:2em}td{padding:4px 8px;vertical-align:top;border-bottom:1px solid #ddd}tr.reply td:last-child{padding-left:2em}.state{color:#a00}del{color:#777}</style>
</head><body>
<h1>eDiscovery export</h1>
${exportedFor ? `<p class="trace">Exported for ${escape(exportedFor.username ?? '')} · trace code ${escape(formatTraceCode(exportedFor.traceCode))}</p>\n` : ''}<p>Exported ${escape(exportedAt)} (UTC). Every piece of text below is as stored, including deleted, recalled and earlier versions, and items DLP held for review (at the time they were held; delivered only if released).</p>
`;
}

/** Rows of a batch; a heading opens each room (the selection is grouped by room), `previousRoomId` continues one. */
export function transcriptRows(records: readonly ExportRecord[], previousRoomId: string | null): string {
  let room = previousRoomId;
  let html = '';
  for (const record of records) {
    if (record.roomId !== room) {
      if (room !== null) html += '</tbody></table>\n';
      html += `<h2>${escape(record.roomName ?? 'Direct message')} <small>${escape(record.roomId)}</small></h2>\n<table><thead><tr><th>Time (UTC)</th><th>From</th><th>Message</th></tr></thead><tbody>\n`;
      room = record.roomId;
    }
    const who = escape(record.sender.displayName ? `${record.sender.displayName} (@${record.sender.username})` : record.sender.id);
    const state = record.held === null ? stateOf(record) : `held for review: ${record.held.status}`;
    const marks = state === 'sent' ? '' : ` <span class="state">[${escape(state)}]</span>`;
    const earlier = record.versions.map((version) => `<br><del>v${version.version}: ${paragraph(version.text ?? '')}</del>`).join('');
    const files = record.files.map((file) => `<br>📎 <a href="${escape(file.path)}">${escape(file.name)}</a>`).join('');
    html += `<tr id="${escape(record.held === null ? record.id : `held-${record.id}`)}"${record.threadRootId ? ' class="reply"' : ''}><td>${escape(record.createdAt)}</td><td>${who}</td><td>${paragraph(record.text ?? '')}${marks}${earlier}${files}</td></tr>\n`;
  }
  return html;
}

export function transcriptTail(lastRoomId: string | null): string {
  return `${lastRoomId === null ? '<p>No messages.</p>\n' : '</tbody></table>\n'}</body></html>\n`;
}

function paragraph(text: string): string {
  return escape(text).replace(/\n/g, '<br>');
}
