import type { DlpDetector } from '@enclave/protocol';
import { compileDetector, type Detector, type Span } from '../dlp/detectors';
import { ScanText } from '../dlp/normalise/scan-text';
import { documentWords } from '../search/document-words';
import { searchTermHasher, type IndexTerm } from '../search/search-terms';
import { textSignature } from '../provenance/text-shingles';

/**
 * The CPU-heavy steps of sending, as plain data in and out, so that the same code runs inline for short input and
 * in a worker thread for long input (see cpu-work-pool.ts). Nothing here touches storage or the network.
 */
export type CpuTask =
  /** A document's search terms: its words (document-words.ts) hashed with the installation's search key. */
  | { kind: 'document-terms'; parts: string[]; searchKey: Uint8Array }
  | {
      kind: 'dlp-spans';
      /** Identifies the rule set's detectors, so a worker compiles each set once, not once per scan. */
      ruleSetId: string;
      detectors: DlpDetector[];
      /** Which of `detectors` to run on the text: those of the rules that cover the room. */
      wanted: number[];
      text: string;
    }
  /** The MinHash signature of a message's or file's text (provenance/text-shingles.ts). */
  | { kind: 'text-signature'; text: string };

/** Each task kind's answer: the document's terms, a text's signature, or for each wanted detector (in order) its matches. */
export type CpuAnswer<T extends CpuTask> = T extends { kind: 'document-terms' } ? IndexTerm[] : T extends { kind: 'text-signature' } ? number[] | null : Span[][];

export function runCpuTask<T extends CpuTask>(task: T): CpuAnswer<T> {
  if (task.kind === 'document-terms') return searchTermHasher(task.searchKey).documentTerms(documentWords(task.parts)) as CpuAnswer<T>;
  if (task.kind === 'text-signature') return textSignature(task.text) as CpuAnswer<T>;
  return detectorSpans(compiledSet(task.ruleSetId, task.detectors), task.wanted, task.text) as CpuAnswer<T>;
}

/**
 * For each wanted detector, in order, its matches in the text; [] where it has none. The text is normalised once
 * for all of them.
 */
export function detectorSpans(detectors: readonly Detector[], wanted: readonly number[], text: string): Span[][] {
  const scan = new ScanText(text);
  // Rules naming the same built-in share one compiled detector, which scans the text once.
  const spansOf = new Map<Detector, Span[]>();
  return wanted.map((index) => {
    const detector = detectors[index]!;
    let spans = spansOf.get(detector);
    if (!spans) {
      spans = detector.findIn(scan);
      spansOf.set(detector, spans);
    }
    return spans;
  });
}

/** Compiled rule sets a thread keeps: the current one and a few it may still be asked about during a change. */
const KEPT_SETS = 4;
const compiledSets = new Map<string, Detector[]>();

function compiledSet(id: string, detectors: readonly DlpDetector[]): Detector[] {
  let compiled = compiledSets.get(id);
  if (!compiled) {
    compiled = detectors.map(compileDetector);
    compiledSets.set(id, compiled);
    if (compiledSets.size > KEPT_SETS) compiledSets.delete(compiledSets.keys().next().value!);
  }
  return compiled;
}
