import type { FileInfo } from '@enclave/protocol';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../app/api';
import { FormError } from '../ui/form-error';
import { LockIcon } from '../ui/icons';
import { downloadFile } from './file-content';
import { viewerFor } from './file-kinds';

interface FileActionsProps {
  file: FileInfo;
  /** False when the room, a label or the message makes the file view-only. */
  downloadable: boolean;
  /** Opens the in-page viewer (images, text, PDFs); absent inside a viewer already. */
  onView?: () => void;
}

/**
 * "View" and "Download" for one file, or "View only" where downloading is not allowed. Types a browser cannot show
 * (office documents, archives, programs), and view-only text (which the server does not render), have no View.
 */
export function FileActions({ file, downloadable, onView }: FileActionsProps) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const viewer = viewerFor(file.mime, downloadable);

  function download() {
    setBusy(true);
    setError(undefined);
    downloadFile(file)
      .catch((failure: unknown) => setError(describeError(failure)))
      .finally(() => setBusy(false));
  }

  return (
    <div className="file-actions">
      {viewer && onView && (
        <button type="button" className="button button--small" aria-label={t('files.viewNamed', { name: file.name })} onClick={onView}>
          {t('files.view')}
        </button>
      )}
      {downloadable ? (
        <button type="button" className="button button--small" aria-label={t('files.downloadNamed', { name: file.name })} disabled={busy} onClick={download}>
          {t('files.download')}
        </button>
      ) : (
        <span className="file-actions__view-only" title={t('files.viewOnlyHelp')}>
          <LockIcon />
          {t('files.viewOnly')}
        </span>
      )}
      <FormError message={error} />
    </div>
  );
}
