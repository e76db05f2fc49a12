import type { DeletionCertificate } from '@enclave/protocol';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { usePeople } from '../people/people-context';
import { useFormatTime } from '../ui/use-format-time';
import { ExportHashCheck } from './export-hash-check';
import { useRoomLabel } from './room-label';

/** What the deletions just done left behind, as the audit log records them. */
export function CertificateList({ certificates }: { certificates: DeletionCertificate[] }) {
  const { t } = useTranslation();
  const headingId = useId();
  return (
    <section className="card card--wide" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('adminRooms.certificatesTitle')}</h2>
      <p className="muted">{t('adminRooms.certificatesExplained')}</p>
      <ul className="certificates">
        {certificates.map((certificate) => (
          <CertificateView key={certificate.roomId} certificate={certificate} />
        ))}
      </ul>
    </section>
  );
}

function CertificateView({ certificate }: { certificate: DeletionCertificate }) {
  const { t } = useTranslation();
  const people = usePeople();
  const format = useFormatTime();
  const name = useRoomLabel()({ name: certificate.roomName });
  const titleId = useId();
  const fields: [string, string][] = [
    [t('adminRooms.roomId'), certificate.roomId],
    [t('adminRooms.kind'), t(`adminRooms.kinds.${certificate.kind}`)],
    [t('adminRooms.messagesDeleted'), String(certificate.messagesDeleted)],
    [t('adminRooms.membersRemoved'), String(certificate.membersRemoved)],
    [t('adminRooms.filesDeleted'), String(certificate.filesDeleted)],
    [t('adminRooms.heldMessagesDeleted'), String(certificate.heldMessagesDeleted)],
    [t('adminRooms.keyDestroyed'), certificate.keyDestroyed ? t('adminRooms.keyDestroyedYes', { count: certificate.dataKeysDestroyed }) : t('adminRooms.keyDestroyedNo')],
    [t('adminRooms.deletedAt'), format.full(certificate.deletedAt)],
    [t('adminRooms.deletedBy'), people.byId.get(certificate.deletedBy)?.displayName ?? t('common.someone')],
    [t('adminRooms.frozenReason'), certificate.frozenReason],
  ];
  return (
    <li>
      <article className="certificate" aria-labelledby={titleId}>
        <h3 id={titleId}>{t('adminRooms.certificateFor', { name })}</h3>
        <dl className="certificate__fields">
          {fields.map(([term, value]) => (
            <div key={term}>
              <dt>{term}</dt>
              <dd>{value}</dd>
            </div>
          ))}
          <div>
            <dt>{t('adminRooms.exportSha256')}</dt>
            <dd className="certificate__hash">{certificate.exportSha256}</dd>
          </div>
        </dl>
        <ExportHashCheck expectedSha256={certificate.exportSha256} />
      </article>
    </li>
  );
}
