import { mergeSpans, ScanText, type Reading } from '../normalise/scan-text';
import type { Detector, Matcher, Span } from './detector';

/**
 * A matcher run on every view of a scanned text its reading asks for (the normalised text, the numbers with their
 * separators removed, decoded base64 runs), its matches mapped back to the original text.
 */
export function normalisingDetector(matcher: Matcher, reading: Reading): Detector {
  const detector: Detector = {
    findIn(scan) {
      const spans: Span[] = [];
      for (const view of scan.views(reading)) {
        if (matcher.test && !matcher.test(view.text)) continue;
        for (const span of matcher.findSpans(view.text)) spans.push(view.originalSpan(span));
      }
      return mergeSpans(spans);
    },
    findSpans(text) {
      return detector.findIn(new ScanText(text));
    },
  };
  return detector;
}
