import { errorMessages } from '@enclave/protocol';
import { AuditKeyError, ConfigError, describeProblem, MasterKeyError, type PasswordProblem } from '@enclave/server';

export type AppErrorLike = Error & { code?: unknown; data?: Record<string, unknown> };

/** A failure as the CLI reports it: a stable code and a sentence, never a stack trace. */
export function describeFailure(error: AppErrorLike): { code: string; message: string } {
  if (error instanceof ConfigError) return { code: 'CONFIG_INVALID', message: error.message };
  // A wrong or missing master key: the message names the fix, and nothing was written.
  if (error instanceof MasterKeyError) return { code: 'MASTER_KEY_REFUSED', message: error.message };
  if (error instanceof AuditKeyError) return { code: 'AUDIT_KEY_UNREADABLE', message: error.message };
  const code = typeof error.code === 'string' ? error.code : undefined;
  // The policy's reason says what to change; the generic message alone would leave the operator guessing.
  if (code === 'PASSWORD_TOO_WEAK' && error.data) return { code, message: `The password ${describeProblem(error.data as PasswordProblem)}.` };
  if (code && code in errorMessages.en) return { code, message: errorMessages.en[code as keyof typeof errorMessages.en] };
  return { code: 'INTERNAL', message: error.message };
}
