import { useCallback, useState } from 'react';

export type Permission = NotificationPermission | 'unsupported';

/** The browser's notification permission, and a way to ask for it that must run from a click. */
export function useNotificationPermission(): { permission: Permission; request: () => void } {
  const [permission, setPermission] = useState<Permission>(currentPermission);
  const request = useCallback(() => {
    if (typeof Notification === 'undefined') return;
    void Notification.requestPermission().then(setPermission);
  }, []);
  return { permission, request };
}

function currentPermission(): Permission {
  return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;
}
