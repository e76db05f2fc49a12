import type { TraceResolution } from '@enclave/protocol';
import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../app/api';
import { FormError } from '../ui/form-error';
import { useServerCall } from '../ui/use-server-call';
import { TraceResultCard } from './trace-result-card';

/** The server's limit on what may be pasted at once (ResolveTraceRequest). */
const TEXT_MAX_LENGTH = 20_000;

/**
 * Trace a leak: a code read off a photo, or text pasted from a leak, turned back into who viewed what and when.
 * The server finds the codes and audits the lookup; the text is sent once and kept nowhere, here included.
 */
export function TraceALeak() {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const [results, setResults] = useState<TraceResolution[] | undefined>();
  const { busy, error, run } = useServerCall();
  const headingId = useId();
  const resultsId = useId();

  async function resolve(event: FormEvent) {
    event.preventDefault();
    setResults(undefined);
    await run(async () => setResults((await api.endpoint('resolveTrace')({ body: { text } })).results));
  }

  return (
    <section className="card card--wide" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('compliance.trace.title')}</h2>
      <p className="muted">{t('compliance.trace.explained')}</p>
      <form className="trace-form" onSubmit={(event) => void resolve(event)}>
        <label className="field">
          <span>{t('compliance.trace.text')}</span>
          <textarea
            value={text}
            rows={4}
            required
            maxLength={TEXT_MAX_LENGTH}
            spellCheck={false}
            autoComplete="off"
            placeholder={t('compliance.trace.placeholder')}
            onChange={(e) => setText(e.target.value)}
          />
        </label>
        <button type="submit" className="button" disabled={busy || text.trim() === ''}>
          {t('compliance.trace.resolve')}
        </button>
      </form>
      <FormError message={error} />
      {results && (
        <>
          <h3 id={resultsId}>{t('compliance.trace.results')}</h3>
          <ul className="held-list" aria-labelledby={resultsId}>
            {results.map((result) => (
              <li key={result.code}>
                <TraceResultCard result={result} />
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
