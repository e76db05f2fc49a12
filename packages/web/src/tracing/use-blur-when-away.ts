import { useEffect, type RefObject } from 'react';

/**
 * Blurs the parent of `marker` while the window is in the background (another window or tab in front), so a
 * screen-capture tool working from another window records a blur. Focus moving into a frame of the page (a PDF
 * in the browser's viewer) also blurs the window, and is not leaving it. A deterrent: a capture taken with the
 * window in front still shows the view, watermark included.
 */
export function useBlurWhenAway(marker: RefObject<HTMLElement | null>): void {
  useEffect(() => {
    const parent = marker.current?.parentElement;
    if (!parent) return;
    const set = (away: boolean) => parent.toggleAttribute('data-trace-away', away);
    const onBlur = () => set(!(document.activeElement instanceof HTMLIFrameElement));
    const onFocus = () => set(false);
    const onVisibility = () => set(document.hidden);
    window.addEventListener('blur', onBlur);
    window.addEventListener('focus', onFocus);
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      window.removeEventListener('blur', onBlur);
      window.removeEventListener('focus', onFocus);
      document.removeEventListener('visibilitychange', onVisibility);
      set(false);
    };
  }, [marker]);
}
