import type { Availability } from '@enclave/protocol';
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { api } from '../app/api';

/** How often my own state is asked again: a working period starts or ends on the minute, a minute late is calm. */
const REFRESH_MS = 60_000;

const MyAvailabilityContext = createContext<Availability | undefined>(undefined);

/** Whether I am at work now, as the server judges it; undefined until known (and then nothing is held back). */
export function useMyAvailability(): Availability | undefined {
  return useContext(MyAvailabilityContext);
}

export function MyWorkHoursProvider({ children }: { children: ReactNode }) {
  const [availability, setAvailability] = useState<Availability>();
  useEffect(() => {
    let current = true;
    const load = () =>
      api.endpoint('getMyWorkHours')().then(
        (answer) => current && setAvailability(answer.availability),
        () => undefined, // Unknown hours never silence anything: notifications behave as before.
      );
    void load();
    const timer = setInterval(load, REFRESH_MS);
    return () => {
      current = false;
      clearInterval(timer);
    };
  }, []);
  return <MyAvailabilityContext.Provider value={availability}>{children}</MyAvailabilityContext.Provider>;
}
