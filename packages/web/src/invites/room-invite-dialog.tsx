import type { CreatedInvite } from '@enclave/protocol';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Dialog } from '../ui/dialog';
import { InviteForm } from './invite-form';
import { InviteLink } from './invite-link';

/** A room owner's invite: choose expiry, uses and approval, then show the link and its QR code. */
export function RoomInviteDialog({ roomId, roomName, onClose }: { roomId: string; roomName: string; onClose: () => void }) {
  const { t } = useTranslation();
  const [created, setCreated] = useState<CreatedInvite | undefined>();
  return (
    <Dialog title={t('invites.roomDialogTitle', { room: roomName })} onClose={onClose}>
      <div className="dialog__body">
        {created ? (
          <>
            <InviteLink invite={created} />
            <div className="dialog__actions">
              <button type="button" className="button" onClick={() => setCreated(undefined)}>
                {t('invites.another')}
              </button>
              <button type="button" className="button button--primary" onClick={onClose}>
                {t('invites.done')}
              </button>
            </div>
          </>
        ) : (
          <InviteForm roomId={roomId} onCreated={setCreated} onCancel={onClose} />
        )}
      </div>
    </Dialog>
  );
}
