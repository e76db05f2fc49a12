import { BuiltinDetectorId, DLP_KEYWORDS_MAX, DLP_PATTERN_MAX, type DlpDetector } from '@enclave/protocol';
import { EnclaveApiError } from '@enclave/sdk';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../app/api';
import { FormError } from '../ui/form-error';
import { useServerCall } from '../ui/use-server-call';
import { detectorComplete, detectorOf, type DlpRuleDraft } from './dlp-rule-draft';

const KINDS: DlpDetector['kind'][] = ['builtin', 'keywords', 'regex'];

interface DetectorFieldsProps {
  draft: DlpRuleDraft;
  onChange: (draft: DlpRuleDraft) => void;
  /** The server's word on the pattern (DLP_PATTERN_INVALID), shown at the field; set by saving or testing. */
  patternError: string | undefined;
  onPatternError: (message: string | undefined) => void;
}

/** What a rule looks for: a built-in detector, a list of keywords or a regular expression, and a box to try it on. */
export function DlpDetectorFields({ draft, onChange, patternError, onPatternError }: DetectorFieldsProps) {
  const { t } = useTranslation();
  const keywordsHelpId = useId();
  const patternHelpId = useId();
  const patternErrorId = useId();

  return (
    <fieldset className="dlp-fieldset">
      <legend>{t('dlp.detector')}</legend>
      <div className="dlp-choices" role="radiogroup" aria-label={t('dlp.detectorKind')}>
        {KINDS.map((kind) => (
          <label key={kind} className="checkbox">
            <input type="radio" name="detector-kind" checked={draft.detectorKind === kind} onChange={() => onChange({ ...draft, detectorKind: kind })} />
            <span>{t(`dlp.kinds.${kind}`)}</span>
          </label>
        ))}
      </div>
      {draft.detectorKind === 'builtin' && (
        <label className="field">
          <span>{t('dlp.builtin')}</span>
          <select value={draft.builtin} onChange={(e) => onChange({ ...draft, builtin: e.target.value as BuiltinDetectorId })}>
            {BuiltinDetectorId.options.map((id) => (
              <option key={id} value={id}>
                {t(`dlp.builtins.${id}`)}
              </option>
            ))}
          </select>
          <small className="muted">{t(`dlp.builtinHelp.${draft.builtin}`)}</small>
        </label>
      )}
      {draft.detectorKind === 'keywords' && (
        <label className="field">
          <span>{t('dlp.keywords')}</span>
          <textarea
            rows={5}
            value={draft.keywords}
            aria-describedby={keywordsHelpId}
            onChange={(e) => onChange({ ...draft, keywords: e.target.value })}
            spellCheck={false}
          />
          <small id={keywordsHelpId} className="muted">
            {t('dlp.keywordsHelp', { max: DLP_KEYWORDS_MAX })}
          </small>
        </label>
      )}
      {draft.detectorKind === 'regex' && (
        <label className="field">
          <span>{t('dlp.pattern')}</span>
          <input
            value={draft.pattern}
            maxLength={DLP_PATTERN_MAX}
            spellCheck={false}
            autoComplete="off"
            className="dlp-pattern"
            aria-invalid={patternError ? true : undefined}
            aria-describedby={patternError ? `${patternErrorId} ${patternHelpId}` : patternHelpId}
            onChange={(e) => {
              onChange({ ...draft, pattern: e.target.value });
              onPatternError(undefined);
            }}
          />
          {patternError && (
            <small id={patternErrorId} className="form-error" role="alert">
              {patternError}
            </small>
          )}
          <small id={patternHelpId} className="muted">
            {t('dlp.patternHelp')}
          </small>
        </label>
      )}
      <DetectorTest draft={draft} onPatternError={onPatternError} />
    </fieldset>
  );
}

/** Runs the detector as written on sample text; the server answers with a count, never the matches. */
function DetectorTest({ draft, onPatternError }: { draft: DlpRuleDraft; onPatternError: (message: string | undefined) => void }) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  /** The last answer, with what it answered, so that a count never outlives the detector or text it was for. */
  const [result, setResult] = useState<{ tried: string; matches: number } | undefined>();
  const { busy, error, run } = useServerCall();
  const detector = detectorOf(draft);
  const tried = JSON.stringify([detector, text]);
  const matches = result?.tried === tried ? result.matches : undefined;

  const test = () =>
    run(async () => {
      try {
        setResult({ tried, matches: (await api.endpoint('testDlpDetector')({ body: { detector, text } })).matches });
      } catch (failure) {
        // A bad pattern belongs at the pattern field, where it can be fixed.
        if (!isPatternInvalid(failure)) throw failure;
        onPatternError(failure.message);
      }
    });

  return (
    <div className="dlp-test">
      <label className="field">
        <span>{t('dlp.testText')}</span>
        <textarea
          rows={2}
          value={text}
          maxLength={10_000}
          onChange={(e) => setText(e.target.value)}
        />
      </label>
      <div className="dlp-test__run">
        <button type="button" className="button button--small" disabled={busy || !detectorComplete(draft) || text.length === 0} onClick={() => void test()}>
          {t('dlp.test')}
        </button>
        <span role="status" className="dlp-test__result">
          {matches !== undefined && t('dlp.matches', { count: matches })}
        </span>
      </div>
      <FormError message={error} />
    </div>
  );
}

export function isPatternInvalid(failure: unknown): failure is EnclaveApiError {
  return failure instanceof EnclaveApiError && failure.code === 'DLP_PATTERN_INVALID';
}
