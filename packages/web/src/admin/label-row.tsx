import { ForwardingPolicy, type Label } from '@enclave/protocol';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../app/api';
import { LabelChip } from '../labels/label-chip';
import { FormError } from '../ui/form-error';
import { useServerCall } from '../ui/use-server-call';

/**
 * One label in the console: its names and colour, what people may do with messages that carry it, and whether
 * what carries it is watermarked with each viewer's trace code (in rooms whose marking follows labels).
 */
export function LabelRow({ label, onSaved }: { label: Label; onSaved: () => void }) {
  const { t } = useTranslation();
  const [en, setEn] = useState(label.names.en);
  const [zh, setZh] = useState(label.names['zh-CN']);
  const [colour, setColour] = useState(label.colour);
  const [forwarding, setForwarding] = useState(label.forwarding);
  const [copyAllowed, setCopyAllowed] = useState(label.copyAllowed);
  const [downloadAllowed, setDownloadAllowed] = useState(label.downloadAllowed);
  const [marked, setMarked] = useState(label.marked);
  const { busy, error, run } = useServerCall();
  const changed =
    en !== label.names.en ||
    zh !== label.names['zh-CN'] ||
    colour !== label.colour ||
    forwarding !== label.forwarding ||
    copyAllowed !== label.copyAllowed ||
    downloadAllowed !== label.downloadAllowed ||
    marked !== label.marked;

  async function save(event: FormEvent) {
    event.preventDefault();
    const body = { names: { en, 'zh-CN': zh }, colour, forwarding, copyAllowed, downloadAllowed, marked };
    if (await run(() => api.endpoint('updateLabel')({ params: { labelId: label.id }, body }))) onSaved();
  }

  return (
    <li>
      <form className="label-admin__row" aria-label={label.id} onSubmit={save}>
        <LabelChip labelId={label.id} />
        <code className="muted">{label.id}</code>
        <input aria-label={t('labels.englishNameOf', { id: label.id })} value={en} onChange={(e) => setEn(e.target.value)} maxLength={40} />
        <input aria-label={t('labels.chineseNameOf', { id: label.id })} value={zh} onChange={(e) => setZh(e.target.value)} maxLength={40} lang="zh-CN" />
        <input type="color" aria-label={t('labels.colourOf', { id: label.id })} value={colour} onChange={(e) => setColour(e.target.value)} />
        <button type="submit" className="button button--small" disabled={busy || !changed}>
          {t('labels.save')}
        </button>
        <div className="label-admin__policy">
          <label className="label-admin__forwarding">
            <span>{t('console.forwarding')}</span>
            <select aria-label={t('console.forwardingOf', { id: label.id })} value={forwarding} onChange={(e) => setForwarding(ForwardingPolicy.parse(e.target.value))}>
              {ForwardingPolicy.options.map((policy) => (
                <option key={policy} value={policy}>
                  {t(`dlp.forwarding.${policy}`)}
                </option>
              ))}
            </select>
          </label>
          <label className="checkbox">
            <input type="checkbox" aria-label={t('console.copyAllowedOf', { id: label.id })} checked={copyAllowed} onChange={(e) => setCopyAllowed(e.target.checked)} />
            <span aria-hidden="true">{t('dlp.copyAllowed')}</span>
          </label>
          <label className="checkbox">
            <input type="checkbox" aria-label={t('console.downloadAllowedOf', { id: label.id })} checked={downloadAllowed} onChange={(e) => setDownloadAllowed(e.target.checked)} />
            <span aria-hidden="true">{t('dlp.downloadAllowed')}</span>
          </label>
          <label className="checkbox">
            <input type="checkbox" aria-label={t('console.markedOf', { id: label.id })} checked={marked} onChange={(e) => setMarked(e.target.checked)} />
            <span aria-hidden="true">{t('dlp.marked')}</span>
          </label>
        </div>
        <FormError message={error} />
      </form>
    </li>
  );
}
