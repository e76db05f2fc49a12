import { useCallback, useRef, useState } from 'react';
import { describeError } from '../app/api';

/**
 * A form's call to the server: whether it is under way, and why it failed in the reader's language. `run`
 * resolves true when the work succeeded, so the form can go on (clear itself, close) only then. `describe` may
 * add what the form knows about a failure (a name instead of an id, what to do instead).
 */
export function useServerCall(describe: (failure: unknown) => string = describeError): {
  busy: boolean;
  error: string | undefined;
  run: (work: () => Promise<unknown>) => Promise<boolean>;
} {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  // The latest describer, without making `run` change identity on every render.
  const describeRef = useRef(describe);
  describeRef.current = describe;
  const run = useCallback(async (work: () => Promise<unknown>) => {
    setBusy(true);
    setError(undefined);
    try {
      await work();
      return true;
    } catch (failure) {
      setError(describeRef.current(failure));
      return false;
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, run };
}
