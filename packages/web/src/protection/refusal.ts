import { ConfirmationRequiredData, DlpBlockedData, HeldForReviewData } from '@enclave/protocol';
import { EnclaveApiError } from '@enclave/sdk';

/**
 * What a refused send, edit or forward asks of the sender, read from the server's error: confirm who receives it
 * (the send guard or a DLP warning), rewrite it (a DLP block), or wait for a compliance officer (a DLP hold).
 * Rule names only: the server never says which text matched. Files named as unread could not be checked to the
 * end and count as matching.
 */
export type Refusal =
  | { kind: 'confirm'; data: ConfirmationRequiredData }
  | { kind: 'blocked'; rules: string[]; unreadFiles: string[] }
  | { kind: 'held'; reviewId: string; rules: string[] };

export function refusalOf(error: unknown): Refusal | undefined {
  if (!(error instanceof EnclaveApiError)) return undefined;
  switch (error.code) {
    case 'CONFIRMATION_REQUIRED': {
      const data = ConfirmationRequiredData.safeParse(error.data);
      return data.success ? { kind: 'confirm', data: data.data } : undefined;
    }
    case 'DLP_BLOCKED': {
      const data = DlpBlockedData.safeParse(error.data);
      if (!data.success) return { kind: 'blocked', rules: [], unreadFiles: [] };
      return { kind: 'blocked', rules: data.data.rules.map((rule) => rule.name), unreadFiles: (data.data.unreadFiles ?? []).map((file) => file.name) };
    }
    case 'DLP_HELD_FOR_REVIEW': {
      const data = HeldForReviewData.safeParse(error.data);
      return data.success ? { kind: 'held', reviewId: data.data.reviewId, rules: data.data.rules.map((rule) => rule.name) } : undefined;
    }
    default:
      return undefined;
  }
}
