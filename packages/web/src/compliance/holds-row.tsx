import type { HoldMatter } from '@enclave/protocol';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, describeError } from '../app/api';
import { usePeople } from '../people/people-context';
import { FormError } from '../ui/form-error';
import { useFormatTime } from '../ui/use-format-time';

/** One matter: what it covers, and its release (final: what only it kept may be deleted and purged again). */
export function HoldsRow({ hold, onReleased }: { hold: HoldMatter; onReleased: () => void }) {
  const { t } = useTranslation();
  const people = usePeople();
  const time = useFormatTime();
  const [error, setError] = useState<string | undefined>();
  const { custodianIds, roomIds, from, to } = hold.covers;

  async function release() {
    if (!window.confirm(t('compliance.holds.releaseConfirm', { name: hold.name }))) return;
    try {
      await api.endpoint('releaseHold')({ params: { holdId: hold.id } });
      onReleased();
    } catch (failure) {
      setError(describeError(failure));
    }
  }

  return (
    <tr>
      <th scope="row">
        {hold.name}
        {hold.description && <div className="muted">{hold.description}</div>}
      </th>
      <td>{custodianIds.length === 0 ? t('compliance.holds.anyone') : custodianIds.map((id) => people.byId.get(id)?.displayName ?? id).join(', ')}</td>
      <td>{roomIds.length === 0 ? t('compliance.holds.anyRoom') : roomIds.map((id) => <code key={id}>{id} </code>)}</td>
      <td>{`${from ? time.day(from) : t('compliance.holds.open')} – ${to ? time.day(to) : t('compliance.holds.open')}`}</td>
      <td>
        {hold.releasedAt ? (
          t('compliance.holds.releasedOn', { date: time.day(hold.releasedAt) })
        ) : (
          <button type="button" className="button button--danger" onClick={() => void release()}>
            {t('compliance.holds.release')}
          </button>
        )}
        <FormError message={error} />
      </td>
    </tr>
  );
}
