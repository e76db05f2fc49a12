import type { Label } from '@enclave/protocol';
import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../app/api';
import { useLabels } from '../labels/labels-context';
import { FormError } from '../ui/form-error';
import { useServerCall } from '../ui/use-server-call';

const EMPTY = { id: '', en: '', zh: '', colour: '#64748b' };

/** Adds a label. Its position is a rank: the new label takes it, and the labels from there up move one higher. */
export function CreateLabelForm({ labels, onCreated }: { labels: Label[]; onCreated: () => void }) {
  const { t } = useTranslation();
  const { nameOf } = useLabels();
  const [form, setForm] = useState(EMPTY);
  const top = (labels.at(-1)?.rank ?? -1) + 1;
  const [rank, setRank] = useState<number | undefined>();
  const { busy, error, run } = useServerCall();
  const headingId = useId();
  const set = (field: keyof typeof EMPTY) => (event: { target: { value: string } }) => setForm({ ...form, [field]: event.target.value });

  async function create(event: FormEvent) {
    event.preventDefault();
    const created = await run(() => api.endpoint('createLabel')({ body: { id: form.id.trim(), names: { en: form.en, 'zh-CN': form.zh }, colour: form.colour, rank: rank ?? top } }));
    if (!created) return;
    setForm(EMPTY);
    setRank(undefined);
    onCreated();
  }

  return (
    <section className="card" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('labels.createTitle')}</h2>
      <form className="admin-form" onSubmit={create}>
        <label className="field">
          <span>{t('labels.id')}</span>
          <input value={form.id} onChange={set('id')} autoComplete="off" autoCapitalize="none" required />
        </label>
        <label className="field">
          <span>{t('labels.position')}</span>
          <select value={rank ?? top} onChange={(e) => setRank(Number(e.target.value))}>
            {labels.map((label) => (
              <option key={label.id} value={label.rank}>
                {t('labels.below', { name: nameOf(label.id) })}
              </option>
            ))}
            <option value={top}>{t('labels.top')}</option>
          </select>
        </label>
        <label className="field">
          <span>{t('labels.englishName')}</span>
          <input value={form.en} onChange={set('en')} maxLength={40} required />
        </label>
        <label className="field">
          <span>{t('labels.chineseName')}</span>
          <input value={form.zh} onChange={set('zh')} maxLength={40} lang="zh-CN" required />
        </label>
        <label className="field">
          <span>{t('labels.colour')}</span>
          <input type="color" value={form.colour} onChange={set('colour')} />
        </label>
        <FormError message={error} />
        <div className="admin-form__actions">
          <button type="submit" className="button button--primary" disabled={busy}>
            {t('labels.create')}
          </button>
        </div>
      </form>
    </section>
  );
}
