import { MESSAGE_TEXT_MAX } from '@enclave/protocol';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';

/** Edits a message in place: Enter saves, Shift+Enter starts a new line, Esc gives up. */
export function MessageEditor({ initial, onSave, onCancel }: { initial: string; onSave: (text: string) => Promise<void>; onCancel: () => void }) {
  const { t } = useTranslation();
  const [text, setText] = useState(initial);
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const hintId = useId();

  async function save() {
    const trimmed = text.trim();
    if (trimmed === '' || busy) return;
    if (trimmed === initial) return onCancel();
    setBusy(true);
    setError(undefined);
    try {
      await onSave(trimmed);
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    }
    // Saving usually closes the editor; it stays open when the sender called the save off in the send guard.
    setBusy(false);
  }

  return (
    <div className="message-editor">
      <textarea
        className="message-editor__input"
        aria-label={t('conversation.editLabel')}
        aria-describedby={hintId}
        value={text}
        maxLength={MESSAGE_TEXT_MAX}
        rows={Math.min(8, text.split('\n').length)}
        autoFocus
        onFocus={(event) => event.currentTarget.setSelectionRange(text.length, text.length)}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Escape') {
            event.preventDefault();
            event.stopPropagation();
            onCancel();
          } else if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing && event.keyCode !== 229) {
            event.preventDefault();
            void save();
          }
        }}
      />
      <div className="message-editor__bar">
        <span id={hintId} className="muted">
          {t('conversation.editHint')}
        </span>
        <button type="button" className="button button--small" onClick={onCancel}>
          {t('common.cancel')}
        </button>
        <button type="button" className="button button--small button--primary" disabled={busy} onClick={() => void save()}>
          {t('conversation.save')}
        </button>
      </div>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
