/** Where a command writes: plain lines for people, or one JSON document with --json for scripts. */
export interface Output {
  json: boolean;
  line(text: string): void;
  result(data: object, humanLines: string[]): void;
  fail(code: string, message: string): number;
}

export function createOutput(json: boolean, write: (text: string) => void = (text) => process.stdout.write(text), writeError: (text: string) => void = (text) => process.stderr.write(text)): Output {
  return {
    json,
    line: (text) => {
      if (!json) write(`${text}\n`);
    },
    result: (data, humanLines) => write(json ? `${JSON.stringify(data)}\n` : humanLines.map((l) => `${l}\n`).join('')),
    fail: (code, message) => {
      if (json) write(`${JSON.stringify({ error: { code, message } })}\n`);
      else writeError(`error: ${message}\n`);
      return 1;
    },
  };
}
