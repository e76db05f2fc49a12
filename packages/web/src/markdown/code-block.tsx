import { useEffect, useState, type ReactNode } from 'react';

interface Highlighted {
  code: string;
  language: string;
  nodes: ReactNode[];
}

/**
 * A fenced code block. The highlighter is a separate chunk, fetched the first time a block names a language, so
 * people who never share code never download it; until it arrives (or if it cannot) the block shows plain.
 */
export function CodeBlock({ code, language }: { code: string; language: string }) {
  const highlighted = useHighlighted(code, language);
  return (
    <pre className="code-block" data-language={language || undefined}>
      <code>{highlighted ?? code}</code>
    </pre>
  );
}

type Highlighter = typeof import('./code-highlighter');

let highlighter: Promise<Highlighter> | null = null;

function loadHighlighter(): Promise<Highlighter> {
  highlighter ??= import('./code-highlighter').catch((error: unknown) => {
    // Asked for again by the next block, e.g. once the network is back.
    highlighter = null;
    throw error;
  });
  return highlighter;
}

function useHighlighted(code: string, language: string): ReactNode[] | null {
  const [highlighted, setHighlighted] = useState<Highlighted | null>(null);
  useEffect(() => {
    if (language === '') return;
    let current = true;
    loadHighlighter()
      .then(({ highlightCode }) => {
        const nodes = highlightCode(code, language);
        if (current && nodes) setHighlighted({ code, language, nodes });
      })
      .catch(() => undefined); // The block stays plain.
    return () => {
      current = false;
    };
  }, [code, language]);
  // After an edit the old highlighting belongs to other text.
  return highlighted && highlighted.code === code && highlighted.language === language ? highlighted.nodes : null;
}
