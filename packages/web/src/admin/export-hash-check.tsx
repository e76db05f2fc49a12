import { useState } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * Lets the admin prove a kept export is the one the certificate vouches for, without trusting the server again:
 * the hash is computed here, in the browser.
 */
export function ExportHashCheck({ expectedSha256 }: { expectedSha256: string }) {
  const { t } = useTranslation();
  const [matches, setMatches] = useState<boolean | undefined>();

  // Web Crypto exists only in secure contexts (HTTPS or localhost); without it there is nothing to offer.
  if (!globalThis.crypto?.subtle) return null;

  async function check(file: File | undefined) {
    setMatches(undefined);
    if (!file) return;
    setMatches((await sha256Hex(await file.arrayBuffer())) === expectedSha256.toLowerCase());
  }

  return (
    <div className="export-check">
      <label className="field">
        <span>{t('adminRooms.checkExport')}</span>
        <input type="file" accept=".jsonl,application/x-ndjson" onChange={(e) => void check(e.target.files?.[0])} />
      </label>
      {matches !== undefined && (
        <p className={matches ? 'notice notice--success' : 'form-error'} role="status">
          {matches ? t('adminRooms.hashMatches') : t('adminRooms.hashDiffers')}
        </p>
      )}
    </div>
  );
}

async function sha256Hex(content: ArrayBuffer): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', content));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('');
}
