import type { EndpointOutput } from '@enclave/protocol';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, describeError } from '../app/api';
import { navigate } from '../app/router';
import { useChat } from '../chat/chat-context';
import { Dialog } from '../ui/dialog';
import { FormError } from '../ui/form-error';
import { HashIcon } from '../ui/icons';

type Channel = EndpointOutput<'listChannels'>['channels'][number];

export function BrowseChannelsDialog({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const { refreshRoom } = useChat();
  const [channels, setChannels] = useState<Channel[] | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [joining, setJoining] = useState<string | undefined>();

  useEffect(() => {
    api.endpoint('listChannels')().then(
      (answer) => setChannels([...answer.channels].sort((a, b) => (a.name ?? '').localeCompare(b.name ?? ''))),
      (failure: unknown) => setError(describeError(failure)),
    );
  }, []);

  async function open(channel: Channel) {
    setJoining(channel.id);
    setError(undefined);
    try {
      if (!channel.joined) await api.endpoint('joinChannel')({ params: { roomId: channel.id } });
      await refreshRoom(channel.id);
      navigate({ page: 'room', roomId: channel.id });
      onClose();
    } catch (failure) {
      setError(describeError(failure));
      setJoining(undefined);
    }
  }

  return (
    <Dialog title={t('rooms.browseTitle')} onClose={onClose}>
      <div className="dialog__body">
        {!channels && !error && <p className="muted">{t('common.loading')}</p>}
        {channels?.length === 0 && <p className="muted">{t('rooms.noChannels')}</p>}
        <ul className="channel-directory">
          {channels?.map((channel) => (
            <li key={channel.id} className="channel-directory__item">
              <HashIcon />
              <div className="channel-directory__text">
                <span className="channel-directory__name">{channel.name}</span>
                <span className="muted">{t('rooms.memberCount', { count: channel.memberCount })}</span>
              </div>
              <button
                type="button"
                className={channel.joined ? 'button button--small' : 'button button--small button--primary'}
                disabled={joining !== undefined}
                aria-label={t(channel.joined ? 'rooms.openChannel' : 'rooms.joinChannel', { name: channel.name })}
                onClick={() => void open(channel)}
              >
                {channel.joined ? t('rooms.open') : t('rooms.join')}
              </button>
            </li>
          ))}
        </ul>
        <FormError message={error} />
      </div>
    </Dialog>
  );
}
