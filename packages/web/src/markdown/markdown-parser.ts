import MarkdownIt, { type Token } from 'markdown-it';
import markdownItCjkFriendly from 'markdown-it-cjk-friendly';

export type { Token };

/**
 * The Markdown a message may use, and nothing more: emphasis, strikethrough, code, fenced code blocks, quotes,
 * lists and links. The parser starts from markdown-it's empty preset and turns on only these rules, so a rule a
 * later markdown-it adds stays off until someone decides a chat needs it.
 *
 * Left off on purpose: raw HTML (never rendered from a message), images (they would fetch from wherever the sender
 * points, telling that server who read the message and when), headings, rules and tables (chat text, not
 * documents; `# 1` and `---` stay as typed), indented code blocks (people indent prose) and reference definitions
 * (a line that disappears from the message). Entities also stay as typed: `&amp;` shows as `&amp;`, the text the
 * sender wrote and the server stored.
 */
const BLOCK_RULES = ['fence', 'blockquote', 'list'];
const INLINE_RULES = ['newline', 'escape', 'backticks', 'strikethrough', 'emphasis', 'link', 'autolink', 'linkify'];

/** Links go to web pages and e-mail addresses only: never `javascript:`, `data:`, `file:` or a path on this server. */
const ALLOWED_LINK = /^(?:https?:\/\/|mailto:)/i;

/**
 * Addresses typed without `https://` (`example.com`, `www.gov.cn`) become links when they end in one of these.
 * linkify-it would otherwise take every two-letter country code, and several are file extensions people name in
 * chat every day (`README.md`, `setup.py`, `run.sh`, `main.rs`), which must stay text.
 */
const BARE_ADDRESS_ENDINGS = ['com', 'net', 'org', 'edu', 'gov', 'info', 'biz', 'io', 'dev', 'cn', '中国', 'hk', 'mo', 'tw', 'sg', 'jp', 'kr', 'uk', 'de', 'fr', 'eu', 'us'];

/** Whether a link target may become a clickable link. Checked by the parser and again by the renderer. */
export function isAllowedLink(href: string): boolean {
  return ALLOWED_LINK.test(href);
}

/** Quotes in lists in quotes...: deeper than any real message, shallow enough for React's tree and the eye. */
const MAX_NESTING = 20;

const parser = new MarkdownIt('zero', { html: false, linkify: true, breaks: true, typographer: false, maxNesting: MAX_NESTING });
parser.enable([...BLOCK_RULES, ...INLINE_RULES]);
parser.linkify.set({ fuzzyLink: true }).tlds(BARE_ADDRESS_ENDINGS, false);
// CommonMark's flanking rules do not let `**` close after CJK punctuation when a character follows without a
// space (`**“重要”**请看`), which Chinese text does all the time; this plugin lets CJK characters on either side
// count as a word boundary, for emphasis and strikethrough alike.
parser.use(markdownItCjkFriendly);
parser.validateLink = isAllowedLink;

/**
 * The block-level tokens of a message's text (inline content sits in each `inline` token's children), or null when
 * the text is to be shown exactly as typed. Past its nesting limit markdown-it drops the rest of the text
 * (`>>>>...` a few dozen deep), so a message that reaches the limit is not formatted at all: the reader never
 * loses what the sender wrote.
 */
export function parseMessageMarkdown(text: string): Token[] | null {
  const tokens = parser.parse(text, {});
  return tokens.some((token) => token.nesting === 1 && token.level >= MAX_NESTING - 1) ? null : tokens;
}
