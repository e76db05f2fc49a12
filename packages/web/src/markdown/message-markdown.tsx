import { Fragment, useMemo, type ReactNode } from 'react';
import { messageMarkdownTree, type MarkdownNode, type MarkdownTag } from './markdown-tree';

/** How the two kinds of content this module does not own are drawn. */
export interface MarkdownRenderers {
  /** A run of plain text (not code): where mentions are set off. */
  text: (text: string) => ReactNode;
  /** A fenced code block and the language its fence names ('' for none): where highlighting happens. */
  code: (code: string, language: string) => ReactNode;
}

/**
 * A message's Markdown as React elements, drawn from its tree (`markdown-tree.ts`). No HTML string is made or
 * inserted anywhere: each element is one of the tree's few tags and all text goes through React, which escapes it.
 */
export function MessageMarkdown({ text, renderers }: { text: string; renderers: MarkdownRenderers }) {
  const tree = useMemo(() => messageMarkdownTree(text), [text]);
  return <>{tree.map((node, index) => draw(node, index, renderers))}</>;
}

function draw(node: MarkdownNode, key: number, renderers: MarkdownRenderers): ReactNode {
  switch (node.kind) {
    case 'text':
      return <Fragment key={key}>{renderers.text(node.text)}</Fragment>;
    case 'inline-code':
      return <code key={key}>{node.text}</code>;
    case 'code-block':
      return <Fragment key={key}>{renderers.code(node.code, node.language)}</Fragment>;
    case 'break':
      return <br key={key} />;
    case 'link':
      // A new tab that cannot reach back into this one, sent no referrer: a private room's address is nobody's business.
      return (
        <a key={key} href={node.href} target="_blank" rel="noopener noreferrer">
          {node.children.map((child, index) => draw(child, index, renderers))}
        </a>
      );
    case 'element':
      return element(node.tag, node.start, node.children.map((child, index) => draw(child, index, renderers)), key);
  }
}

/** One case per tag: a JSX tag chosen at run time would make the type checker match its props against every tag. */
function element(tag: MarkdownTag, start: number | undefined, children: ReactNode[], key: number): ReactNode {
  switch (tag) {
    case 'p':
      return <p key={key}>{children}</p>;
    case 'blockquote':
      return <blockquote key={key}>{children}</blockquote>;
    case 'ul':
      return <ul key={key}>{children}</ul>;
    case 'ol':
      return (
        <ol key={key} start={start}>
          {children}
        </ol>
      );
    case 'li':
      return <li key={key}>{children}</li>;
    case 'strong':
      return <strong key={key}>{children}</strong>;
    case 'em':
      return <em key={key}>{children}</em>;
    case 's':
      return <s key={key}>{children}</s>;
  }
}
