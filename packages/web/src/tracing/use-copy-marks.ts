import { encodeInvisibleTraceCode } from '@enclave/protocol';
import { useEffect } from 'react';
import { issueTraceMark } from './issue-trace-mark';

/** The attribute on a marked message's element (MessageItem sets it) that names the message. */
const TRACE_MESSAGE_ATTRIBUTE = 'data-trace-message';

/** A message's copy code: the code, null when the server puts no mark on it, 'pending' while it is asked for. */
type CopyCode = string | null | 'pending';

/**
 * Text copied from a marked message carries the viewer's trace code for that message, invisibly (see
 * `encodeInvisibleTraceCode`), appended to what was copied. The copy event must be answered at once, so each
 * message's code is asked for as soon as a selection reaches it; a copy that comes before its code has arrived
 * copies nothing rather than unmarked text, and copying again works. Text in messages the policy does not mark
 * copies unchanged; messages whose copying is forbidden refuse the copy before this sees it.
 */
export function useCopyMarks(): void {
  useEffect(() => {
    const codes = new Map<string, CopyCode>();
    const ask = (messageId: string) => {
      if (codes.has(messageId)) return;
      codes.set(messageId, 'pending');
      issueTraceMark('message-copy', messageId)
        .then((mark) => codes.set(messageId, mark?.code ?? null))
        // Asked again when the selection next changes.
        .catch(() => codes.delete(messageId));
    };
    const onSelection = () => {
      const selection = document.getSelection();
      if (selection && !selection.isCollapsed) markedMessagesIn(selection).forEach(ask);
    };
    const onCopy = (event: ClipboardEvent) => {
      const selection = document.getSelection();
      if (event.defaultPrevented || !selection || selection.isCollapsed || !event.clipboardData) return;
      const messageIds = markedMessagesIn(selection);
      if (messageIds.length === 0) return;
      event.preventDefault();
      messageIds.forEach(ask);
      const found = messageIds.map((messageId) => codes.get(messageId));
      if (found.some((code) => code === 'pending' || code === undefined)) return;
      const marks = found.flatMap((code) => (code ? [encodeInvisibleTraceCode(code)] : []));
      event.clipboardData.setData('text/plain', selection.toString() + marks.join(''));
    };
    document.addEventListener('selectionchange', onSelection);
    document.addEventListener('copy', onCopy);
    return () => {
      document.removeEventListener('selectionchange', onSelection);
      document.removeEventListener('copy', onCopy);
    };
  }, []);
}

/** The marked messages any part of the selection falls in. */
function markedMessagesIn(selection: Selection): string[] {
  return [...document.querySelectorAll<HTMLElement>(`[${TRACE_MESSAGE_ATTRIBUTE}]`)]
    .filter((element) => selection.containsNode(element, true))
    .map((element) => element.getAttribute(TRACE_MESSAGE_ATTRIBUTE) ?? '')
    .filter((messageId) => messageId !== '');
}
