import type { CreatedInvite } from '@enclave/protocol';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * A freshly created invite: its link with a copy button, and the QR code a phone camera opens. The server draws the
 * code from the same link, so what is scanned is what is copied.
 */
export function InviteLink({ invite }: { invite: CreatedInvite }) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState(false);
  const fieldId = useId();
  const qrPath = `/api/v1/invites/${encodeURIComponent(invite.code)}/qr`;

  async function copy() {
    await navigator.clipboard.writeText(invite.url);
    setCopied(true);
  }

  return (
    <div className="invite-link">
      <p className="muted">{t('invites.linkHelp')}</p>
      <div className="field">
        <label htmlFor={fieldId}>{t('invites.link')}</label>
        <div className="invite-link__row">
          <input id={fieldId} className="invite-link__url" value={invite.url} readOnly onFocus={(event) => event.target.select()} />
          <button type="button" className="button" onClick={() => void copy().catch(() => setCopied(false))}>
            {copied ? t('invites.copied') : t('invites.copy')}
          </button>
        </div>
      </div>
      <img className="invite-link__qr" src={`${qrPath}.svg`} alt={t('invites.qrAlt')} width={240} height={240} />
      <a className="button button--small" href={`${qrPath}.png`} download={`invite-${invite.codePrefix}.png`}>
        {t('invites.downloadPng')}
      </a>
    </div>
  );
}
