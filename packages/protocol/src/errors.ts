import { z } from 'zod';

/**
 * The closed list of error codes. Clients match on these, never on message text, so a code is never renamed
 * or reused; new failures get new codes.
 */
export const errorCodes = {
  VALIDATION_FAILED: 400,
  MALFORMED_JSON: 400,
  THREAD_ROOT_INVALID: 400,
  DM_MEMBERS_INVALID: 400,
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  FORBIDDEN: 403,
  ADMIN_REQUIRED: 403,
  ROUTE_NOT_FOUND: 404,
  ROOM_NOT_FOUND: 404,
  USER_NOT_FOUND: 404,
  SESSION_NOT_FOUND: 404,
  USERNAME_TAKEN: 409,
  ROOM_KIND_FORBIDS: 409,
  LAST_OWNER: 409,
  LAST_ADMIN: 409,
  CLIENT_ID_REUSED: 409,
  BODY_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  MESSAGE_NOT_FOUND: 404,
  NOT_MESSAGE_AUTHOR: 403,
  MESSAGE_DELETED: 409,
  MENTION_ALL_FORBIDDEN: 403,
  ROOM_FROZEN: 423,
  ROOM_NOT_FROZEN: 409,
  TOTP_REQUIRED: 401,
  TOTP_INVALID: 401,
  TOTP_ALREADY_ENABLED: 409,
  TOTP_NOT_ENABLED: 409,
  TOTP_ENROLMENT_REQUIRED: 403,
  USER_DISABLED: 403,
  DEPARTMENT_NOT_FOUND: 404,
  DEPARTMENT_CYCLE: 409,
  DEPARTMENT_NOT_EMPTY: 409,
  LABEL_ABOVE_ROOM_CEILING: 403,
  CLEARANCE_TOO_LOW: 403,
  CEILING_BELOW_CONTENT: 409,
  LABEL_NOT_FOUND: 404,
  LABEL_EXISTS: 409,
  MESSAGE_RECALLED: 409,
  RECALL_WINDOW_PASSED: 409,
  CONFIRMATION_REQUIRED: 428,
  DLP_BLOCKED: 403,
  DLP_HELD_FOR_REVIEW: 409,
  DLP_PATTERN_INVALID: 400,
  DLP_RULE_NOT_FOUND: 404,
  FORWARD_NOT_ALLOWED: 403,
  NOT_ALLOWED_TO_RESTRICT: 403,
  GUEST_NOT_ALLOWED: 403,
  CLEARANCE_ABOVE_GUEST_MAXIMUM: 403,
  COMPLIANCE_REQUIRED: 403,
  REVIEW_NOT_FOUND: 404,
  REVIEW_ALREADY_DECIDED: 409,
  RECORD_NOT_FOUND: 404,
  /** A legal hold keeps what the request would erase; data names the matter (LegalHoldData). */
  LEGAL_HOLD: 409,
  HOLD_NOT_FOUND: 404,
  HOLD_RELEASED: 409,
  PERSONAL_HOURS_NOT_ALLOWED: 403,
  HOLIDAY_NOT_FOUND: 404,
  CALENDAR_IMPORT_INVALID: 400,
  INVITE_NOT_FOUND: 404,
  INVITE_EXPIRED: 410,
  INVITE_USED_UP: 410,
  INVITE_REVOKED: 410,
  INVITE_REQUEST_NOT_FOUND: 404,
  INVITE_REQUEST_DECIDED: 409,
  /** The change was filed as a request for a second person's approval (data.approvalId); nothing changed yet. */
  APPROVAL_PENDING: 409,
  APPROVAL_NOT_FOUND: 404,
  APPROVAL_DECIDED: 409,
  APPROVAL_OWN_REQUEST: 403,
  APPROVAL_NOT_ELIGIBLE: 403,
  EXPORT_NEEDS_COMPLIANCE: 403,
  ROOM_NOT_ARCHIVED: 409,
  FILE_EMPTY: 400,
  FILE_TOO_LARGE: 413,
  FILE_TYPE_NOT_ALLOWED: 415,
  UPLOAD_TRUNCATED: 400,
  FILE_NAME_INVALID: 400,
  FILE_NOT_FOUND: 404,
  FILE_NOT_ATTACHABLE: 409,
  DOWNLOAD_NOT_ALLOWED: 403,
  THUMBNAIL_NOT_AVAILABLE: 404,
  PREVIEW_NOT_AVAILABLE: 404,
  PAGE_NOT_FOUND: 404,
  MALFORMED_REQUEST: 400,
  REQUEST_TIMEOUT: 408,
  HEADERS_TOO_LARGE: 431,
  PASSWORD_TOO_WEAK: 400,
  PASSWORD_INCORRECT: 403,
  PASSWORD_CHANGE_REQUIRED: 403,
  /** `urgent` without a written reason. */
  URGENT_REASON_REQUIRED: 400,
  /** The urgent policy does not let this sender override quiet hours. */
  URGENT_NOT_ALLOWED: 403,
  /** The sender used up their urgent sends for the hour (data.retryAfterSeconds). */
  URGENT_RATE_LIMITED: 429,
  SCHEDULED_MESSAGE_NOT_FOUND: 404,
  /** The scheduled message is going out right now: it can no longer be edited or cancelled. */
  SCHEDULED_MESSAGE_SENDING: 409,
  /** Nothing in the text is shaped like a trace code (a code that fails its check is answered as a misread). */
  TRACE_CODE_INVALID: 400,
  /** A file under a marking policy whose type cannot be stamped is shown in the viewer only, never downloaded. */
  DOWNLOAD_REQUIRES_MARKING: 403,
  /** The stored copy of this one item does not decrypt (damaged, or swapped from another row); everything else works. */
  CONTENT_DAMAGED: 500,
  /** E-mail notifications need the operator's SMTP settings (ENCLAVE_SMTP_HOST and ENCLAVE_SMTP_FROM) first. */
  EMAIL_NOT_CONFIGURED: 409,
  /** The asking administrator has no e-mail address to send the test to. */
  EMAIL_ADDRESS_MISSING: 409,
  /** The SMTP server did not take the e-mail (data.reason: what it or the connection said, never a credential). */
  EMAIL_DELIVERY_FAILED: 502,
  INTERNAL: 500,
} as const;

export type ErrorCode = keyof typeof errorCodes;
export const ErrorCodeSchema = z.enum(Object.keys(errorCodes) as [ErrorCode, ...ErrorCode[]]);

export const ErrorBody = z.object({
  code: ErrorCodeSchema,
  message: z.string(),
  /** Machine-readable detail a client needs to continue (which field failed, when to retry, …). */
  data: z.record(z.string(), z.unknown()).optional(),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

export const ErrorResponse = z.object({ error: ErrorBody });
export type ErrorResponse = z.infer<typeof ErrorResponse>;

export function httpStatusOf(code: ErrorCode): number {
  return errorCodes[code];
}
