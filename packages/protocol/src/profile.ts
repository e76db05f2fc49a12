import { z } from 'zod';
import { locales } from './locale';

/** Largest avatar accepted, decoded; a small picture is all a chat list needs. */
export const AVATAR_MAX_BYTES = 64 * 1024;

const avatarPrefix = /^data:image\/(png|jpeg|webp);base64,([A-Za-z0-9+/]+={0,2})$/;

/**
 * Which image format the bytes really are, by their magic numbers; the data: URL's declared type is not trusted.
 * Works on the first bytes only, so the browser can check a picture before uploading it.
 */
export function sniffImageType(bytes: Uint8Array): 'png' | 'jpeg' | 'webp' | undefined {
  const starts = (offset: number, expected: number[]) => expected.every((value, i) => bytes[offset + i] === value);
  if (starts(0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (starts(0, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (starts(0, [0x52, 0x49, 0x46, 0x46]) && starts(8, [0x57, 0x45, 0x42, 0x50])) return 'webp';
  return undefined;
}

function decodeBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** A PNG, JPEG or WebP picture as a base64 data: URL whose bytes match the declared type and fit the size limit. */
export const AvatarDataUrl = z
  .string()
  .max(Math.ceil(AVATAR_MAX_BYTES / 3) * 4 + 32)
  .superRefine((value, context) => {
    const match = avatarPrefix.exec(value);
    if (!match) {
      context.addIssue({ code: 'custom', message: 'must be a base64 data: URL of a PNG, JPEG or WebP image' });
      return;
    }
    const bytes = decodeBase64(match[2] ?? '');
    if (bytes.length > AVATAR_MAX_BYTES) context.addIssue({ code: 'custom', message: `must be at most ${AVATAR_MAX_BYTES} bytes` });
    if (sniffImageType(bytes) !== match[1]) context.addIssue({ code: 'custom', message: 'the bytes are not the declared image type' });
  });

/** True for a time zone name this runtime knows (IANA names such as Asia/Shanghai, or UTC). */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

export const TimeZone = z.string().min(1).max(64).refine(isTimeZone, 'must be an IANA time zone name such as Asia/Shanghai');
export const LocaleSchema = z.enum(locales);

export const UndoSendSeconds = z.number().int().min(0).max(10);

/** Changes to one's own profile; null clears a choice back to the default. */
export const ProfileUpdateRequest = z
  .object({
    displayName: z.string().trim().min(1).max(64).optional(),
    avatar: AvatarDataUrl.nullable().optional(),
    locale: LocaleSchema.nullable().optional(),
    timeZone: TimeZone.nullable().optional(),
    /** How long my sends wait, cancellable, before anyone receives them (0 to 10 s). */
    undoSendSeconds: UndoSendSeconds.optional(),
  })
  .refine((v) => Object.values(v).some((field) => field !== undefined), 'nothing to change');
export type ProfileUpdateRequest = z.infer<typeof ProfileUpdateRequest>;
