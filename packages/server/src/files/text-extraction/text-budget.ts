/**
 * Collects extracted text up to a character limit. Parsers append page by page or part by part and stop as soon
 * as `append` answers false, so a huge document costs no more work than the text that is kept.
 */
export class TextBudget {
  #text = '';
  #exhausted = false;

  constructor(
    private readonly maxChars: number,
    /** Called with each piece actually kept: the worker forwards pieces as they come so a timeout loses none. */
    private readonly onKept: (piece: string) => void = () => undefined,
  ) {}

  /** Keeps as much of `piece` as fits; false once something had to be left out. */
  append(piece: string): boolean {
    if (this.#exhausted) return false;
    const room = this.maxChars - this.#text.length;
    let kept = piece;
    if (piece.length > room) {
      this.#exhausted = true;
      // Cutting between the two halves of a surrogate pair would leave half a character.
      const end = room > 0 && isHighSurrogate(piece.charCodeAt(room - 1)) ? room - 1 : room;
      kept = piece.slice(0, end);
    }
    if (kept !== '') {
      this.#text += kept;
      this.onKept(kept);
    }
    return !this.#exhausted;
  }

  /** How many more characters fit, so a parser can stop producing text nobody will keep. */
  get remaining(): number {
    return this.maxChars - this.#text.length;
  }

  get exhausted(): boolean {
    return this.#exhausted;
  }

  get text(): string {
    return this.#text;
  }
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
