import { Role } from '@enclave/protocol';
import { useTranslation } from 'react-i18next';

/** The roles, as options of a select: compliance officers and guests are roles of their own, not kinds of member. */
export function RoleOptions() {
  const { t } = useTranslation();
  return Role.options.map((role) => (
    <option key={role} value={role}>
      {t(`roles.${role}`)}
    </option>
  ));
}
