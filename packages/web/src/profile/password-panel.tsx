import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, describeError } from '../app/api';
import { PasswordChangeForm } from '../session/password-change-form';
import { FormError } from '../ui/form-error';

/** Changing one's own password from the account dialog; the minimum length is the organisation's current one. */
export function PasswordPanel() {
  const { t } = useTranslation();
  const [minLength, setMinLength] = useState<number | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [changed, setChanged] = useState(false);

  useEffect(() => {
    api.endpoint('me')().then(
      ({ password }) => setMinLength(password.minLength),
      (failure: unknown) => setError(describeError(failure)),
    );
  }, []);

  if (minLength === undefined) return <FormError message={error} />;
  return (
    <div>
      {changed && (
        <p className="notice" role="status">
          {t('password.changed')}
        </p>
      )}
      <PasswordChangeForm minLength={minLength} onChanged={() => setChanged(true)} />
    </div>
  );
}
