import { useCallback, useState } from 'react';
import { describeError } from '../app/api';

/**
 * A form's call to the server: whether it is under way, and why it failed in the reader's language. `run`
 * resolves true when the work succeeded, so the form can go on (clear itself, close) only then.
 */
export function useServerCall(): { busy: boolean; error: string | undefined; run: (work: () => Promise<unknown>) => Promise<boolean> } {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const run = useCallback(async (work: () => Promise<unknown>) => {
    setBusy(true);
    setError(undefined);
    try {
      await work();
      return true;
    } catch (failure) {
      setError(describeError(failure));
      return false;
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, run };
}
