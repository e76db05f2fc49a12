import { z } from 'zod';

export const TotpCode = z.string().regex(/^\d{6}$/, 'six digits');
/** Recovery codes are shown grouped (`abcde-fghij`); spaces, dashes and case do not matter when typed back. */
export const RecoveryCode = z.string().min(8).max(32);

export const TwoFactorEnrolResponse = z.object({
  /** The base32 secret, for authenticator apps that cannot scan; shown once. */
  secret: z.string(),
  /** The otpauth:// URI the QR code encodes. */
  uri: z.string(),
  /** The QR code as an SVG document, generated on the server. */
  qrSvg: z.string(),
});
export const TwoFactorCodeRequest = z.object({ code: TotpCode });
export const TwoFactorConfirmResponse = z.object({
  /** One-time codes for when the phone is lost; shown only now, stored hashed. */
  recoveryCodes: z.array(z.string()),
});
