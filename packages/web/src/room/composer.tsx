import { MESSAGE_TEXT_MAX } from '@enclave/protocol';
import { useId, useState, type FormEvent, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { SendIcon } from '../ui/icons';

/** The composer grows with its text up to this many lines, then scrolls. */
const MAX_ROWS = 8;

export function Composer({ roomName, onSend }: { roomName: string; onSend: (text: string) => void }) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const inputId = useId();
  const sendable = text.trim().length > 0;

  function send() {
    if (!sendable) return;
    onSend(text.trim());
    setText('');
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key !== 'Enter' || event.shiftKey || isComposing(event)) return;
    event.preventDefault();
    send();
  }

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    send();
  }

  return (
    <form className="composer" onSubmit={onSubmit}>
      <label htmlFor={inputId} className="visually-hidden">
        {t('composer.label', { name: roomName })}
      </label>
      <textarea
        id={inputId}
        className="composer__input"
        value={text}
        rows={Math.min(MAX_ROWS, text.split('\n').length)}
        maxLength={MESSAGE_TEXT_MAX}
        placeholder={t('composer.placeholder', { name: roomName })}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={onKeyDown}
        autoFocus
      />
      <button type="submit" className="composer__send" aria-label={t('composer.send')} title={t('composer.send')} disabled={!sendable}>
        <SendIcon />
      </button>
    </form>
  );
}

/**
 * Enter also confirms a word in an input method (Chinese pinyin, Japanese kana); that Enter belongs to the IME and
 * must not send. Browsers flag it with `isComposing`, and some (Safari) only with the legacy key code 229.
 */
function isComposing(event: KeyboardEvent): boolean {
  return event.nativeEvent.isComposing || event.keyCode === 229;
}
