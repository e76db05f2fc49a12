import type { Message } from '@enclave/protocol';
import { useTranslation } from 'react-i18next';
import { usePeople } from '../people/people-context';
import { useMe } from '../session/session-context';

/** One chip per emoji: the count, pressed when I am among those who reacted, the names in its tooltip. */
export function ReactionChips({ message, onToggle }: { message: Message; onToggle: (emoji: string, on: boolean) => void }) {
  const { t } = useTranslation();
  const me = useMe();
  const people = usePeople();
  if (message.reactions.length === 0) return null;
  return (
    <div className="reactions">
      {message.reactions.map((reaction) => {
        const mine = reaction.userIds.includes(me.id);
        const names = reaction.userIds.map((id) => people.byId.get(id)?.displayName ?? t('common.someone')).join(', ');
        return (
          <button
            key={reaction.emoji}
            type="button"
            className={`reaction${mine ? ' reaction--mine' : ''}`}
            aria-pressed={mine}
            aria-label={t('conversation.reactionChip', { emoji: reaction.emoji, count: reaction.count, names })}
            title={t('conversation.reactionBy', { emoji: reaction.emoji, names })}
            onClick={() => onToggle(reaction.emoji, !mine)}
          >
            <span aria-hidden="true">{reaction.emoji}</span>
            <span className="reaction__count">{reaction.count}</span>
          </button>
        );
      })}
    </div>
  );
}
