import type { Label } from '@enclave/protocol';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../app/api';
import { LabelChip } from '../labels/label-chip';
import { FormError } from '../ui/form-error';
import { useServerCall } from '../ui/use-server-call';

/** One label in the console, its names and colour editable in place. */
export function LabelRow({ label, onSaved }: { label: Label; onSaved: () => void }) {
  const { t } = useTranslation();
  const [en, setEn] = useState(label.names.en);
  const [zh, setZh] = useState(label.names['zh-CN']);
  const [colour, setColour] = useState(label.colour);
  const { busy, error, run } = useServerCall();
  const changed = en !== label.names.en || zh !== label.names['zh-CN'] || colour !== label.colour;

  async function save(event: FormEvent) {
    event.preventDefault();
    if (await run(() => api.call('updateLabel', { params: { labelId: label.id }, body: { names: { en, 'zh-CN': zh }, colour } }))) onSaved();
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
        <FormError message={error} />
      </form>
    </li>
  );
}
