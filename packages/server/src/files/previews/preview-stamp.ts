/** Who a rendered view is being sent to. */
export interface PreviewViewer {
  userId: string;
}

/**
 * The one place every rendered view (image preview, PDF page) passes on its way to a viewer, after the cache: the
 * cache holds the unstamped rendering, and this is where per-viewer leak tracing (issue 16: a visible or invisible
 * mark naming the viewer) will stamp each copy. Until then it hands the rendering on unchanged.
 */
export async function stampPreview(rendered: Buffer, viewer: PreviewViewer): Promise<Buffer> {
  void viewer;
  return rendered;
}
