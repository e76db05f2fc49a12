import type { AuditCheckpoint } from '@enclave/protocol';
import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, describeError } from '../app/api';
import { FormError } from '../ui/form-error';
import { useFormatTime } from '../ui/use-format-time';

const SHOWN = 20;

/** The latest signed audit checkpoints, with the checkpoints file and the public key to keep them elsewhere. */
export function CheckpointsView() {
  const { t } = useTranslation();
  const time = useFormatTime();
  const [answer, setAnswer] = useState<{ checkpoints: AuditCheckpoint[]; keyId: string; publicKeyPem: string } | undefined>();
  const [error, setError] = useState<string | undefined>();
  const headingId = useId();

  useEffect(() => {
    let current = true;
    api
      .endpoint('listAuditCheckpoints')({ query: { limit: SHOWN } })
      .then((loaded) => current && setAnswer(loaded))
      .catch((failure: unknown) => current && setError(describeError(failure)));
    return () => {
      current = false;
    };
  }, []);

  return (
    <section className="card card--wide" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('compliance.checkpoints.title')}</h2>
      <p className="muted">{t('compliance.checkpoints.explained')}</p>
      <FormError message={error} />
      {answer && (
        <>
          <div className="audit-actions">
            <a className="button" href={api.auditCheckpointsFileUrl()} download="audit-checkpoints.jsonl">
              {t('compliance.checkpoints.downloadFile')}
            </a>
            <a className="button" href={`data:application/x-pem-file;charset=utf-8,${encodeURIComponent(answer.publicKeyPem)}`} download="audit-public-key.pem">
              {t('compliance.checkpoints.downloadKey')}
            </a>
            <small className="muted">{t('compliance.checkpoints.keyIdIs', { keyId: answer.keyId })}</small>
          </div>
          {answer.checkpoints.length === 0 ? (
            <p className="muted">{t('compliance.checkpoints.none')}</p>
          ) : (
            <div className="room-table__scroller">
              <table className="room-table audit-table" aria-labelledby={headingId}>
                <thead>
                  <tr>
                    <th scope="col">{t('compliance.checkpoints.seq')}</th>
                    <th scope="col">{t('compliance.checkpoints.at')}</th>
                    <th scope="col">{t('compliance.checkpoints.headHash')}</th>
                    <th scope="col">{t('compliance.checkpoints.keyId')}</th>
                  </tr>
                </thead>
                <tbody>
                  {answer.checkpoints.map((checkpoint) => (
                    <tr key={checkpoint.seq}>
                      <td className="room-table__number">{checkpoint.seq}</td>
                      <td>
                        <time dateTime={checkpoint.at} title={time.full(checkpoint.at)}>
                          {time.day(checkpoint.at)} {time.time(checkpoint.at)}
                        </time>
                      </td>
                      <td>
                        <code title={checkpoint.signature}>{checkpoint.headHash}</code>
                      </td>
                      <td>
                        <code>{checkpoint.keyId}</code>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </section>
  );
}
