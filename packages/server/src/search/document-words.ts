import { indexWords } from './search-tokens';

/** PostgreSQL keeps word positions up to 16,383; phrases further on could not be matched anyway. */
const MAX_DOCUMENT_WORDS = 16_383;
/** With the positions, this keeps a document's tsvector well under PostgreSQL's 1 MB. */
const MAX_DOCUMENT_CHARACTERS = 200_000;

/**
 * The words of one message's document, at most MAX_DOCUMENT_WORDS and MAX_DOCUMENT_CHARACTERS of them: a message's
 * own text is far below both, but ten files' extracted text is not, and PostgreSQL refuses a tsvector over 1 MB.
 * `parts` are the text, then the files' names, then their texts in order; what lies past the bound is not found.
 * Pure and free of storage imports, so the CPU worker threads run exactly this code.
 */
export function documentWords(parts: readonly string[]): string[] {
  const words: string[] = [];
  let characters = 0;
  for (const part of parts) {
    for (const word of indexWords(part)) {
      characters += word.length;
      if (words.length === MAX_DOCUMENT_WORDS || characters > MAX_DOCUMENT_CHARACTERS) return words;
      words.push(word);
    }
  }
  return words;
}

/** The parts of a message's document in the order `documentWords` reads them. */
export function documentParts(text: string, files: readonly { name: string; text: string }[] = []): string[] {
  return [text, ...files.map((file) => file.name), ...files.map((file) => file.text)];
}
