import { formatTraceCode, type TraceMark } from '@enclave/protocol';

/** What a stamp prints: who the copy was made for, when, and the code that names it in the trace records. */
export interface StampText {
  /** `Display Name (username)`, with the employee number when the profile has one. */
  viewer: string;
  /** The code's issue time in UTC, to the minute: the same for every copy stamped with the code. */
  issuedAt: string;
  /** The code as people read it (`XXXX-XXXX-X`). */
  code: string;
}

/** The stamp for a mark; the time is the code's, not the request's, so a copy stamped again is the same copy. */
export function stampTextOf(mark: TraceMark): StampText {
  const { displayName, username, employeeNumber } = mark.viewer;
  const who = employeeNumber ? `${username}, ${employeeNumber}` : username;
  return { viewer: `${displayName} (${who})`, issuedAt: `${mark.issuedAt.slice(0, 10)} ${mark.issuedAt.slice(11, 16)} UTC`, code: formatTraceCode(mark.code) };
}

/** The one line the tiles and a PDF's footer repeat. */
export function stampLine(text: StampText): string {
  return `${text.viewer} · ${text.issuedAt} · ${text.code}`;
}
