import { useTranslation } from 'react-i18next';
import { useChat } from '../chat/chat-context';
import type { SendNotice } from '../chat/chat-state';
import { useRuleList } from './rule-list';

/**
 * What data-protection rules did to my sends in this room. A refusal shows above the composer it came from (the
 * room's or a thread's, with `threadRootId`); held messages and their reviews show in the room itself.
 */
export function SendNotices({ roomId, threadRootId }: { roomId: string; threadRootId?: string }) {
  const { t } = useTranslation();
  const { state, dismissNotice } = useChat();
  const ruleList = useRuleList();
  const shown = state.sendNotices.filter((notice) => notice.roomId === roomId && (notice.kind === 'blocked' ? notice.threadRootId === threadRootId : threadRootId === undefined));
  if (shown.length === 0) return null;

  const text = (notice: SendNotice) => {
    switch (notice.kind) {
      case 'blocked':
        return [
          t('dlpNotice.blocked', { count: notice.rules.length, rules: ruleList(notice.rules) }),
          ...(notice.unreadFiles.length > 0 ? [t('dlpNotice.unreadFiles', { names: ruleList(notice.unreadFiles) })] : []),
        ].join(' ');
      case 'held':
        return t('dlpNotice.held');
      case 'released':
        return t('dlpNotice.released');
      case 'rejected':
        return t('dlpNotice.rejected');
    }
  };
  return (
    <div className="send-notices">
      {shown.map((notice) => (
        <p key={notice.id} className={`send-notice send-notice--${notice.kind}`} role={notice.kind === 'blocked' || notice.kind === 'rejected' ? 'alert' : 'status'}>
          <span>{text(notice)}</span>
          <button type="button" className="link-button send-notice__dismiss" onClick={() => dismissNotice(notice.id)}>
            {t('dlpNotice.dismiss')}
          </button>
        </p>
      ))}
    </div>
  );
}
