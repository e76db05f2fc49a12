import { formatTraceCode, type TraceMark } from '@enclave/protocol';
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormatTime } from '../ui/use-format-time';
import { useBlurWhenAway } from './use-blur-when-away';
import { guardWatermark } from './watermark-guard';

/** How often the time in the mark moves on; a photo's time is then right to the minute. */
const CLOCK_MS = 20_000;

/**
 * The per-viewer mark over a view of a marked item: tiles naming the viewer (display name, then employee number or
 * username), the time now and the trace code the server issued for this view. It fills its positioned parent,
 * lets every click through and blurs the parent while the window is in the background. There is no setting
 * that turns it off.
 */
export function Watermark({ mark }: { mark: TraceMark }) {
  const { t } = useTranslation();
  const format = useFormatTime();
  const host = useRef<HTMLDivElement>(null);
  const now = useClock();
  const code = formatTraceCode(mark.code);
  const label = t('tracing.watermarked', { code });
  // Spaces, not hyphens, between the groups: OCR of a photo reads a thin hyphen as a tilde or a dash of its own.
  const printed = code.replaceAll('-', ' ');
  const lines = [mark.viewer.displayName, mark.viewer.employeeNumber ?? mark.viewer.username, format.dateTime(now)];
  const linesKey = lines.join('\n');

  // A layout effect: its cleanup stops the guard before React removes the host, which it would otherwise put back.
  useLayoutEffect(() => {
    const element = host.current;
    return element ? guardWatermark(element, { label, lines: linesKey.split('\n'), code: printed }) : undefined;
  }, [label, linesKey, printed]);
  useBlurWhenAway(host);

  return <div ref={host} />;
}

function useClock(): string {
  const [now, setNow] = useState(() => new Date().toISOString());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(new Date().toISOString()), CLOCK_MS);
    return () => window.clearInterval(timer);
  }, []);
  return now;
}
