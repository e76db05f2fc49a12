import type { RecordsQueryInput } from '@enclave/protocol';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, describeError } from '../app/api';
import { FormError } from '../ui/form-error';
import { ExportQueryForm } from './export-query-form';

/**
 * The officer's eDiscovery export: records chosen by a query, built by the server as one signed zip and saved by
 * the browser. Every export is audited; `enclave export verify` checks a saved one offline.
 */
export function ExportPanel() {
  const { t } = useTranslation();
  const headingId = useId();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const [saved, setSaved] = useState<{ name: string; size: number } | undefined>();

  async function exportRecords(query: RecordsQueryInput) {
    setBusy(true);
    setError(undefined);
    setSaved(undefined);
    try {
      const bytes = await api.endpoint('createExport')({ body: { query } });
      const name = `ediscovery-${new Date().toISOString().replace(/[:.]/g, '-')}.zip`;
      save(new Blob([bytes as BlobPart], { type: 'application/zip' }), name);
      setSaved({ name, size: bytes.byteLength });
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card card--wide" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('compliance.export.title')}</h2>
      <p className="muted">{t('compliance.export.explained')}</p>
      <ExportQueryForm busy={busy} onSubmit={(query) => void exportRecords(query)} />
      <FormError message={error} />
      {saved && (
        <p className="notice notice--success" role="status">
          {t('compliance.export.saved', { name: saved.name, size: saved.size.toLocaleString() })}
        </p>
      )}
      <p className="muted">{t('compliance.export.verifyHint')}</p>
    </section>
  );
}

/** Hands a file to the browser's downloads, as a link to it would. */
function save(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
