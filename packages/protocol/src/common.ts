import { z } from 'zod';

export const Id = z.string().min(1).max(64);
/** Timestamps travel as ISO 8601 strings in UTC. */
export const Timestamp = z.iso.datetime();
/** A position in the event log: strictly increasing across the installation, so one number is a resume cursor. */
export const Position = z.number().int().nonnegative();
/** A client-chosen id that makes a retried send idempotent. */
export const ClientId = z.string().min(1).max(64);

/** A binary answer (a file, an image), which the SDK hands over as bytes. */
export const Bytes = z.custom<Uint8Array>((value) => value instanceof Uint8Array);
