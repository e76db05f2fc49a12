import { z } from 'zod';
import { Id, Timestamp } from './common';
import { isValidTraceCode } from './trace-code';

export * from './trace-code';
export * from './trace-code-text';

/** A trace code in canonical form (nine symbols, upper case, no separators); shown as `formatTraceCode` groups it. */
export const TraceCode = z.string().refine(isValidTraceCode, 'not a trace code');

/**
 * Where watermarks apply in a room, set by an administrator only: `by-label` marks what carries a label whose
 * `marked` flag is on (the room's view by its ceiling), `always` marks everything in the room, `never` nothing.
 * No person can turn marks off for themselves.
 */
export const RoomMarking = z.enum(['by-label', 'always', 'never']);
export type RoomMarking = z.infer<typeof RoomMarking>;

/** Whether an item labelled `labelMarked` (its label's flag) is marked in a room with this setting. */
export function markingApplies(marking: RoomMarking, labelMarked: boolean): boolean {
  return marking === 'always' || (marking === 'by-label' && labelMarked);
}

/**
 * Whether a message or file is marked where it is shown: the whole room view is (`room.marked`), or its own label
 * is marked under the room's setting, so a confidential message carries its mark even in an unmarked room.
 */
export function itemMarked(room: { marked: boolean; marking: RoomMarking }, labelMarked: boolean): boolean {
  return room.marked || markingApplies(room.marking, labelMarked);
}

/**
 * What a trace code was issued for: the view of a room, text copied from a message, a file shown in a viewer, a
 * stamped download of a file, an export.
 */
export const TraceItemKind = z.enum(['room-view', 'message-copy', 'file-view', 'file-download', 'export']);
export type TraceItemKind = z.infer<typeof TraceItemKind>;
/**
 * The kinds a client asks a code for, to show or to put in copied text. Stamped downloads and exports get theirs
 * from the server as it stamps them, so a code of those kinds always names a copy that was made.
 */
export const ClientTraceItemKind = TraceItemKind.extract(['room-view', 'message-copy', 'file-view']);
export type ClientTraceItemKind = z.infer<typeof ClientTraceItemKind>;

/** Who a code names, as the watermark shows them. `employeeNumber` is there when the profile has one. */
export const TraceViewer = z.object({ id: Id, displayName: z.string(), username: z.string(), employeeNumber: z.string().optional() });
export type TraceViewer = z.infer<typeof TraceViewer>;

/** A code issued to one viewer for one item, and what the watermark prints with it. */
export const TraceMark = z.object({ code: TraceCode, kind: TraceItemKind, itemId: Id, issuedAt: Timestamp, viewer: TraceViewer });
export type TraceMark = z.infer<typeof TraceMark>;

/** `itemId` is the room's id for `room-view`, the message's for `message-copy`, the file's for `file-view`. */
export const IssueTraceMarkRequest = z.object({ kind: ClientTraceItemKind, itemId: Id });
export type IssueTraceMarkRequest = z.infer<typeof IssueTraceMarkRequest>;
/** `mark` is null when the marking policy puts no mark on the item: nothing is recorded and nothing is shown. */
export const IssueTraceMarkResponse = z.object({ mark: TraceMark.nullable() });
export type IssueTraceMarkResponse = z.infer<typeof IssueTraceMarkResponse>;

/** A typed code, or text pasted from a leak (an OCR reading of a photo, a post that carries copied text). */
export const ResolveTraceRequest = z.object({ text: z.string().min(1).max(20_000) });
export type ResolveTraceRequest = z.infer<typeof ResolveTraceRequest>;

/** What a resolved code was issued for; `roomName` is null when the room was deleted (trace records outlive it). */
export const TraceIssue = z.object({ viewer: TraceViewer, kind: TraceItemKind, itemId: Id, roomId: Id.nullable(), roomName: z.string().nullable(), issuedAt: Timestamp });
export type TraceIssue = z.infer<typeof TraceIssue>;

/**
 * One code found in the text: `resolved` names who it was issued to, for what and when (`issue`); `unknown` is a
 * well-formed code no one was issued; `misread` failed its check symbol, so at least one symbol was read wrong
 * (`code` is as read); `corrected` failed its check too, but exactly one code one symbol away was issued: `code` is
 * that code, `readAs` what was read, and `issue` its record, to be confirmed by the investigator (the stamp's name
 * and time). `issue` is null unless resolved or corrected.
 */
export const TraceResolution = z.object({
  status: z.enum(['resolved', 'corrected', 'unknown', 'misread']),
  code: z.string(),
  readAs: z.string().optional(),
  source: z.enum(['visible', 'invisible']),
  issue: TraceIssue.nullable(),
});
export type TraceResolution = z.infer<typeof TraceResolution>;
export const ResolveTraceResponse = z.object({ results: z.array(TraceResolution) });
export type ResolveTraceResponse = z.infer<typeof ResolveTraceResponse>;
