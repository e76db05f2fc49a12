import { useTranslation } from 'react-i18next';
import { usePeople } from '../people/people-context';
import { usePresence } from './presence-context';
import { typingMessage } from './typing-state';

/** "X is typing…" under a timeline; the region stays mounted so screen readers hear the change. */
export function TypingLine({ roomId, threadRootId }: { roomId: string; threadRootId?: string }) {
  const { t } = useTranslation();
  const people = usePeople();
  const names = usePresence()
    .typists(roomId, threadRootId)
    .map((id) => people.byId.get(id)?.displayName ?? t('common.someone'));
  const message = typingMessage(names);
  return (
    <div className="typing-line" aria-live="polite">
      {message ? t(message.key, message.values) : ''}
    </div>
  );
}
