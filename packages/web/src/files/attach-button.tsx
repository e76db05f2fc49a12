import { useRef } from 'react';
import { useTranslation } from 'react-i18next';

/** The composer's paper clip: opens the system's file chooser and hands over what was chosen. */
export function AttachButton({ onFiles, disabled }: { onFiles: (files: File[]) => void; disabled: boolean }) {
  const { t } = useTranslation();
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <button type="button" className="composer__attach" aria-label={t('files.attach')} title={t('files.attach')} disabled={disabled} onClick={() => input.current?.click()}>
        <svg className="icon" viewBox="0 0 16 16" aria-hidden="true">
          <path
            d="M13.5 7.5l-5.6 5.6a3.5 3.5 0 01-5-5l6-6a2.3 2.3 0 013.3 3.3l-6 6a1.1 1.1 0 01-1.6-1.6L10.2 4.2"
            fill="none"
            stroke="currentColor"
            strokeWidth="1.4"
            strokeLinecap="round"
            strokeLinejoin="round"
          />
        </svg>
      </button>
      <input
        ref={input}
        type="file"
        multiple
        hidden
        onChange={(event) => {
          onFiles([...(event.target.files ?? [])]);
          // Choosing the same file again (after removing it) must fire another change.
          event.target.value = '';
        }}
      />
    </>
  );
}
