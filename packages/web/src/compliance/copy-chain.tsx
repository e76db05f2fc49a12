import type { CopyChainItem, CopyChainResponse, ProvenanceItemKind } from '@enclave/protocol';
import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, describeError } from '../app/api';
import { LabelChip } from '../labels/label-chip';
import { usePeople } from '../people/people-context';
import { FormError } from '../ui/form-error';
import { useFormatTime } from '../ui/use-format-time';

/**
 * Where a message or file went: its first original and every known copy (forwards and fingerprint matches), with
 * room, sender, time, label and how each was matched. Asking is audited by the server; no content is shown.
 */
export function CopyChain() {
  const { t } = useTranslation();
  const [kind, setKind] = useState<ProvenanceItemKind>('message');
  const [id, setId] = useState('');
  const [chain, setChain] = useState<CopyChainResponse | undefined>();
  const [error, setError] = useState<string | undefined>();
  const headingId = useId();

  async function look(event: FormEvent) {
    event.preventDefault();
    try {
      setChain(await api.endpoint('copyChain')({ params: { kind, id: id.trim() } }));
      setError(undefined);
    } catch (failure) {
      setChain(undefined);
      setError(describeError(failure));
    }
  }

  return (
    <section className="card card--wide" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('compliance.copyChain.title')}</h2>
      <p className="muted">{t('compliance.copyChain.explained')}</p>
      <form className="audit-filter" onSubmit={(event) => void look(event)}>
        <label className="field">
          <span>{t('compliance.copyChain.kind')}</span>
          <select value={kind} onChange={(e) => setKind(e.target.value as ProvenanceItemKind)}>
            <option value="message">{t('compliance.copyChain.kinds.message')}</option>
            <option value="file">{t('compliance.copyChain.kinds.file')}</option>
          </select>
        </label>
        <label className="field">
          <span>{t('compliance.copyChain.id')}</span>
          <input value={id} required maxLength={64} spellCheck={false} autoComplete="off" onChange={(e) => setId(e.target.value)} />
        </label>
        <div className="audit-filter__buttons">
          <button type="submit" className="button">
            {t('compliance.copyChain.show')}
          </button>
        </div>
      </form>
      <FormError message={error} />
      {chain && (
        <div className="room-table__scroller">
          <table className="room-table audit-table" aria-labelledby={headingId}>
            <thead>
              <tr>
                <th scope="col">{t('compliance.copyChain.how')}</th>
                <th scope="col">{t('compliance.room')}</th>
                <th scope="col">{t('compliance.sender')}</th>
                <th scope="col">{t('compliance.at')}</th>
                <th scope="col">{t('compliance.copyChain.label')}</th>
                <th scope="col">{t('compliance.copyChain.item')}</th>
              </tr>
            </thead>
            <tbody>
              {[chain.origin, ...chain.copies].map((item) => (
                <ChainRow key={item.id} item={item} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {chain?.copies.length === 0 && <p className="muted">{t('compliance.copyChain.noCopies')}</p>}
    </section>
  );
}

function ChainRow({ item }: { item: CopyChainItem }) {
  const { t } = useTranslation();
  const people = usePeople();
  const time = useFormatTime();
  return (
    <tr>
      <td>{t(`compliance.copyChain.matches.${item.match ?? 'origin'}`)}</td>
      <td>{item.roomName ?? t('compliance.copyChain.deletedRoom')}</td>
      <td>{people.byId.get(item.senderId)?.displayName ?? item.senderId}</td>
      <td>
        <time dateTime={item.createdAt} title={time.full(item.createdAt)}>
          {time.day(item.createdAt)} {time.time(item.createdAt)}
        </time>
      </td>
      <td>
        <LabelChip labelId={item.label} />
      </td>
      <td>
        <span className="muted">{t(`compliance.copyChain.kinds.${item.kind}`)}</span> <code>{item.id}</code>
        {item.withdrawn && <div className="muted">{t('compliance.copyChain.withdrawn')}</div>}
      </td>
    </tr>
  );
}
