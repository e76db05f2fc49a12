import type { FileInfo } from '@enclave/protocol';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../app/api';
import { Dialog } from '../ui/dialog';
import { FormError } from '../ui/form-error';
import { FileWatermark } from '../tracing/file-watermark';
import { FileActions } from './file-actions';
import { readTextFile } from './file-content';

/** A text file (plain, CSV, Markdown) read in the page, as it is: nothing in it is interpreted. */
export function TextViewer({ file, downloadable, onClose }: { file: FileInfo; downloadable: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const [text, setText] = useState<string | undefined>();
  const [error, setError] = useState<string | undefined>();

  useEffect(() => {
    let current = true;
    readTextFile(file.id).then(
      (content) => {
        if (current) setText(content);
      },
      (failure: unknown) => {
        if (current) setError(describeError(failure));
      },
    );
    return () => {
      current = false;
    };
  }, [file.id]);

  return (
    <Dialog title={file.name} onClose={onClose} className="text-viewer">
      <div className="dialog__body">
        <FormError message={error} />
        {text === undefined && !error && <p className="muted">{t('common.loading')}</p>}
        {text !== undefined && (
          // Focusable, so that a keyboard can scroll a long file.
          <pre className="text-viewer__content" tabIndex={0} aria-label={t('files.contentOf', { name: file.name })}>
            {text}
          </pre>
        )}
        <FileActions file={file} downloadable={downloadable} />
      </div>
      <FileWatermark fileId={file.id} />
    </Dialog>
  );
}
