import type { SearchResult } from '@enclave/protocol';
import { useTranslation } from 'react-i18next';
import { messageRoute, navigate, pathOf } from '../app/router';
import { useChat } from '../chat/chat-context';
import { LabelChip } from '../labels/label-chip';
import { usePeople } from '../people/people-context';
import { RoomIcon } from '../rooms/room-icon';
import { useRoomName } from '../rooms/use-room-name';
import { Avatar } from '../ui/avatar';
import { PaperclipIcon } from '../ui/icons';
import { useFormatTime } from '../ui/use-format-time';
import { HighlightedText } from './highlighted-text';
import { moveResultFocus } from './result-focus';

/** One result: where and by whom, when, its label if not the room's usual one, the text with the matches marked, its files. */
export function SearchResultItem({ result }: { result: SearchResult }) {
  const { t, i18n } = useTranslation();
  const { state } = useChat();
  const people = usePeople();
  const roomName = useRoomName();
  const format = useFormatTime();
  const { message, highlights } = result;
  const room = state.rooms?.find((r) => r.id === message.roomId);
  const sender = people.byId.get(message.senderId);
  const route = messageRoute(message);
  const fileNames = message.files.map((file) => file.name);

  return (
    <a
      className="search-result"
      href={pathOf(route)}
      onClick={(event) => {
        event.preventDefault();
        navigate(route);
      }}
      onKeyDown={(event) => {
        if (moveResultFocus(event.key, event.currentTarget)) event.preventDefault();
      }}
    >
      <span className="search-result__where">
        {room && <RoomIcon room={room} />}
        <span className="search-result__room">{room ? roomName(room) : t('search.unknownRoom')}</span>
        {message.threadRootId && <span className="search-result__thread">{t('search.inThread')}</span>}
        {room && message.label !== room.defaultLabel && <LabelChip labelId={message.label} />}
      </span>
      <span className="search-result__who">
        <Avatar user={sender} size="small" />
        <span className="search-result__sender">{sender?.displayName ?? t('common.someone')}</span>
        <time dateTime={message.createdAt} title={format.full(message.createdAt)}>
          {t('search.when', { day: format.day(message.createdAt), time: format.time(message.createdAt) })}
        </time>
      </span>
      {message.text && <HighlightedText text={message.text} highlights={highlights} />}
      {fileNames.length > 0 && (
        <span className="search-result__files">
          <PaperclipIcon />
          {t('search.files', { names: new Intl.ListFormat(i18n.language, { style: 'narrow', type: 'unit' }).format(fileNames) })}
        </span>
      )}
    </a>
  );
}
