import type { HoldMatter } from '@enclave/protocol';
import { useCallback, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, describeError } from '../app/api';
import { FormError } from '../ui/form-error';
import { HoldsForm } from './holds-form';
import { HoldsRow } from './holds-row';

/** The "Legal holds" tab: the matters in force (or every matter), a form to place one, and release. */
export function HoldsPanel() {
  const { t } = useTranslation();
  const [includeReleased, setIncludeReleased] = useState(false);
  const [holds, setHolds] = useState<HoldMatter[] | undefined>();
  const [error, setError] = useState<string | undefined>();
  const headingId = useId();

  const load = useCallback(async () => {
    try {
      setHolds((await api.endpoint('listHolds')({ query: { includeReleased: includeReleased ? 'true' : 'false' } })).holds);
      setError(undefined);
    } catch (failure) {
      setError(describeError(failure));
    }
  }, [includeReleased]);
  useEffect(() => void load(), [load]);

  return (
    <section className="card card--wide" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('compliance.holds.title')}</h2>
      <p className="muted">{t('compliance.holds.explained')}</p>
      <HoldsForm onPlaced={() => void load()} />
      <label className="checkbox">
        <input type="checkbox" checked={includeReleased} onChange={(e) => setIncludeReleased(e.target.checked)} />
        {t('compliance.holds.showReleased')}
      </label>
      <FormError message={error} />
      {holds?.length === 0 && <p className="muted">{t('compliance.holds.none')}</p>}
      {holds && holds.length > 0 && (
        <div className="room-table__scroller">
          <table className="room-table audit-table" aria-labelledby={headingId}>
            <thead>
              <tr>
                <th scope="col">{t('compliance.holds.name')}</th>
                <th scope="col">{t('compliance.holds.custodians')}</th>
                <th scope="col">{t('compliance.holds.rooms')}</th>
                <th scope="col">{t('compliance.holds.range')}</th>
                <th scope="col">{t('compliance.holds.state')}</th>
              </tr>
            </thead>
            <tbody>
              {holds.map((hold) => (
                <HoldsRow key={hold.id} hold={hold} onReleased={() => void load()} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
