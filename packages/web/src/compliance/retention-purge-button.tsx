import type { PurgeRunResponse } from '@enclave/protocol';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, describeError } from '../app/api';
import { FormError } from '../ui/form-error';

/** "Purge now": runs the scheduled purge at once and says what it erased and what legal holds kept (so far, for a long run). */
export function RetentionPurgeButton() {
  const { t } = useTranslation();
  const [running, setRunning] = useState(false);
  const [result, setResult] = useState<PurgeRunResponse | undefined>();
  const [error, setError] = useState<string | undefined>();

  async function purge() {
    setRunning(true);
    try {
      setResult(await api.endpoint('runPurge')());
      setError(undefined);
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setRunning(false);
    }
  }

  return (
    <div>
      <button type="button" className="button button--danger" disabled={running} onClick={() => void purge()}>
        {running ? t('compliance.retention.purging') : t('compliance.retention.purgeNow')}
      </button>
      {result && (
        <p className="notice notice--success" role="status">
          {t(result.finished ? 'compliance.retention.purged' : 'compliance.retention.purgeGoesOn', { messages: result.messages, files: result.files, rooms: result.rooms.length, kept: result.keptByHolds })}
        </p>
      )}
      <FormError message={error} />
    </div>
  );
}
