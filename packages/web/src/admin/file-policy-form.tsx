import { FILE_SIZE_CEILING, FileMime, type FilePolicy } from '@enclave/protocol';
import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { FILE_KINDS, typeKeyOf, typesOf } from '../files/file-kinds';
import { BYTES_PER_MB } from '../files/file-size';
import { FormError } from '../ui/form-error';
import { useServerCall } from '../ui/use-server-call';
import type { SaveSettings } from './settings-forms';

const MAX_MB = FILE_SIZE_CEILING / BYTES_PER_MB;

/**
 * What may be uploaded: the largest file and the accepted types, grouped by family. Types are recognised from a
 * file's content on the server, so renaming a program to .txt does not get it past this list.
 */
export function FilePolicyForm({ policy, save }: { policy: FilePolicy; save: SaveSettings }) {
  const { t } = useTranslation();
  const initialSize = megabytes(policy.maxBytes);
  const [size, setSize] = useState(initialSize);
  const [allowed, setAllowed] = useState(() => new Set(policy.allowedTypes));
  const { busy, error, run } = useServerCall();
  const headingId = useId();
  const helpId = useId();

  // An untouched field keeps the exact byte count, which a limit set through the API may not have in whole MB.
  const untouched = size === initialSize;
  const parsed = Number(size);
  const sizeValid = untouched || (size.trim() !== '' && parsed > 0 && parsed <= MAX_MB);
  const maxBytes = untouched ? policy.maxBytes : Math.max(1, Math.round(parsed * BYTES_PER_MB));
  const allowedTypes = FileMime.options.filter((mime) => allowed.has(mime));
  const typesChanged = allowedTypes.length !== policy.allowedTypes.length || allowedTypes.some((mime) => !policy.allowedTypes.includes(mime));
  const changed = maxBytes !== policy.maxBytes || typesChanged;

  function toggle(mime: FileMime, on: boolean) {
    const next = new Set(allowed);
    if (on) next.add(mime);
    else next.delete(mime);
    setAllowed(next);
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (sizeValid) await run(() => save({ files: { maxBytes, allowedTypes } }));
  }

  return (
    <section className="card" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('files.adminTitle')}</h2>
      <p className="muted">{t('files.adminExplained')}</p>
      <form className="settings-form" onSubmit={submit}>
        <label className="field">
          <span>{t('files.adminMaxSize')}</span>
          <input type="number" min={0} max={MAX_MB} step="any" inputMode="decimal" value={size} aria-describedby={helpId} onChange={(e) => setSize(e.target.value)} />
          <small id={helpId} className="muted">
            {t('files.adminMaxSizeHelp', { max: MAX_MB })}
          </small>
        </label>
        <fieldset className="dlp-fieldset">
          <legend>{t('files.adminTypes')}</legend>
          <div className="file-policy__groups">
            {FILE_KINDS.map((kind) => (
              <fieldset key={kind} className="file-policy__group">
                <legend>{t(`files.kinds.${kind}`)}</legend>
                {typesOf(kind).map((mime) => (
                  <label key={mime} className="checkbox">
                    <input type="checkbox" checked={allowed.has(mime)} onChange={(e) => toggle(mime, e.target.checked)} />
                    <span>{t(`files.types.${typeKeyOf(mime)}`)}</span>
                  </label>
                ))}
              </fieldset>
            ))}
          </div>
          <small className="muted">{t('files.adminTypesHelp')}</small>
        </fieldset>
        <FormError message={error} />
        <div>
          <button type="submit" className="button button--primary" disabled={busy || !sizeValid || !changed}>
            {t('console.save')}
          </button>
        </div>
      </form>
    </section>
  );
}

/** Bytes as the field shows them: whole megabytes where they are, otherwise up to three decimals. */
function megabytes(bytes: number): string {
  return String(Math.round((bytes / BYTES_PER_MB) * 1000) / 1000);
}
