import { isAllowedLink, parseMessageMarkdown, type Token } from './markdown-parser';

/** The elements formatted text may contain; nothing else can come out of a message. */
export type MarkdownTag = 'p' | 'blockquote' | 'ul' | 'ol' | 'li' | 'strong' | 'em' | 's';

/**
 * A message's formatting as a small tree, the only thing the view draws from. Text stays text: whatever it holds
 * (`<script>`, `<img onerror>`, entities) reaches the screen as characters, through React, which escapes it.
 */
export type MarkdownNode =
  | { kind: 'element'; tag: MarkdownTag; children: MarkdownNode[]; start?: number }
  /** `href` is an http(s) or mailto address, checked when the tree is built. */
  | { kind: 'link'; href: string; children: MarkdownNode[] }
  | { kind: 'text'; text: string }
  | { kind: 'inline-code'; text: string }
  /** `language` is what the fence names, '' for none. */
  | { kind: 'code-block'; code: string; language: string }
  | { kind: 'break' };

/** The tree of a message's text; text nested past the parser's limit comes back as one paragraph, as typed. */
export function messageMarkdownTree(text: string): MarkdownNode[] {
  const tokens = parseMessageMarkdown(text);
  if (tokens === null) return [{ kind: 'element', tag: 'p', children: [{ kind: 'text', text }] }];
  return fold(tokens);
}

const TAGS: Partial<Record<string, MarkdownTag>> = {
  paragraph_open: 'p',
  blockquote_open: 'blockquote',
  bullet_list_open: 'ul',
  ordered_list_open: 'ol',
  list_item_open: 'li',
  strong_open: 'strong',
  em_open: 'em',
  s_open: 's',
};

interface Open {
  token: Token | null;
  children: MarkdownNode[];
}

/** markdown-it's flat token list (`*_open`, content, `*_close`) folded back into a tree. */
function fold(tokens: Token[]): MarkdownNode[] {
  const root: Open = { token: null, children: [] };
  const open: Open[] = [root];
  for (const token of tokens) {
    if (token.nesting === 1) {
      open.push({ token, children: [] });
    } else if (token.nesting === -1 && open.length > 1) {
      const closed = open.pop() as Open;
      (open[open.length - 1] ?? root).children.push(...container(closed.token as Token, closed.children));
    } else {
      (open[open.length - 1] ?? root).children.push(...leaf(token));
    }
  }
  return root.children;
}

function container(token: Token, children: MarkdownNode[]): MarkdownNode[] {
  // A tight list's items hold their text without paragraphs.
  if (token.type === 'paragraph_open' && token.hidden) return children;
  if (token.type === 'link_open') {
    const href = String(token.attrGet('href') ?? '');
    // The parser only makes links to allowed addresses; checked once more so a parser change cannot add one.
    return isAllowedLink(href) ? [{ kind: 'link', href, children }] : children;
  }
  const tag = TAGS[token.type];
  if (tag === 'ol') return [{ kind: 'element', tag, children, start: Number(token.attrGet('start') ?? 1) }];
  // The parser has no other rule turned on; anything else would keep its content without becoming markup.
  return tag ? [{ kind: 'element', tag, children }] : children;
}

function leaf(token: Token): MarkdownNode[] {
  switch (token.type) {
    case 'inline':
      return fold(token.children ?? []);
    case 'text':
      return [{ kind: 'text', text: token.content }];
    case 'code_inline':
      return [{ kind: 'inline-code', text: token.content }];
    case 'fence':
      return [{ kind: 'code-block', code: token.content.replace(/\n$/, ''), language: token.info.trim().split(/\s+/)[0] ?? '' }];
    case 'softbreak':
    case 'hardbreak':
      return [{ kind: 'break' }];
    default:
      return token.content === '' ? [] : [{ kind: 'text', text: token.content }];
  }
}
