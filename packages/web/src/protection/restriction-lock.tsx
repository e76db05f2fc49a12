import type { MessageRestrictions } from '@enclave/protocol';
import { useTranslation } from 'react-i18next';
import { LockIcon } from '../ui/icons';

/** A small lock beside a restricted message's time; its tooltip says what is forbidden. */
export function RestrictionLock({ restrictions }: { restrictions: MessageRestrictions }) {
  const { t } = useTranslation();
  const forbidden = [
    restrictions.noForward && t('restrictions.forbidForward'),
    restrictions.noCopy && t('restrictions.forbidCopy'),
    restrictions.noDownload && t('restrictions.forbidDownload'),
  ].filter((what): what is string => typeof what === 'string');
  if (forbidden.length === 0) return null;
  const label = t('restrictions.restricted', { what: forbidden.join(t('restrictions.listSeparator')) });
  return (
    <span className="restriction-lock" role="img" aria-label={label} title={label}>
      <LockIcon />
    </span>
  );
}
