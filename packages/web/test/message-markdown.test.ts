import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { isAllowedLink } from '../src/markdown/markdown-parser';
import { messageMarkdownTree, type MarkdownNode } from '../src/markdown/markdown-tree';
import { mentionPieces, type MentionKind } from '../src/room/mention-pieces';

/** Alice is someone else, I am `me`; nobody else exists. */
const kindOf = (username: string): MentionKind | null => (username === 'me' || username === 'all' ? 'me' : username === 'alice' ? 'other' : null);

const escape = (text: string) => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

/** A tree written out like HTML, text escaped and mentions cut out as the message view does, to compare in one line. */
function show(nodes: MarkdownNode[]): string {
  return nodes
    .map((node) => {
      switch (node.kind) {
        case 'text':
          return mentionPieces(node.text, kindOf)
            .map((piece) => (piece.mention ? `<mention${piece.mention === 'me' ? ' me' : ''}>${piece.text}</mention>` : escape(piece.text)))
            .join('');
        case 'inline-code':
          return `<code>${escape(node.text)}</code>`;
        case 'code-block':
          return `<pre${node.language ? ` ${node.language}` : ''}>${escape(node.code)}</pre>`;
        case 'break':
          return '<br>';
        case 'link':
          return `<a ${node.href}>${show(node.children)}</a>`;
        case 'element':
          return `<${node.tag}${node.start === undefined ? '' : ` start=${node.start}`}>${show(node.children)}</${node.tag}>`;
      }
    })
    .join('');
}

const render = (text: string) => show(messageMarkdownTree(text));

describe('message Markdown: what each construct renders', () => {
  test('plain text is one paragraph, and a single newline is a line break', () => {
    assert.equal(render('hello'), '<p>hello</p>');
    assert.equal(render('first line\nsecond line'), '<p>first line<br>second line</p>');
    assert.equal(render('one\n\ntwo'), '<p>one</p><p>two</p>');
  });

  test('bold, italic, strikethrough and inline code', () => {
    assert.equal(render('**bold** __bold__ *italic* _italic_ ~~gone~~ `x = 1`'), '<p><strong>bold</strong> <strong>bold</strong> <em>italic</em> <em>italic</em> <s>gone</s> <code>x = 1</code></p>');
  });

  test('nested emphasis nests', () => {
    assert.equal(render('***both***'), '<p><em><strong>both</strong></em></p>');
    assert.equal(render('**bold *and italic* bold**'), '<p><strong>bold <em>and italic</em> bold</strong></p>');
    assert.equal(render('~~**struck bold**~~'), '<p><s><strong>struck bold</strong></s></p>');
  });

  test('a fenced code block keeps its text as typed, names its language and formats nothing inside', () => {
    assert.equal(render('```python\ndef f():\n    return **x**\n```'), '<pre python>def f():\n    return **x**</pre>');
    assert.equal(render('```\nno language\n```'), '<pre>no language</pre>');
  });

  test('block quotes, bulleted and numbered lists, a numbered list keeping its first number', () => {
    assert.equal(render('> quoted **text**\n> more'), '<blockquote><p>quoted <strong>text</strong><br>more</p></blockquote>');
    assert.equal(render('- one\n- two\n* three'), '<ul><li>one</li><li>two</li></ul><ul><li>three</li></ul>');
    assert.equal(render('1. one\n2. two'), '<ol start=1><li>one</li><li>two</li></ol>');
    assert.equal(render('3. three\n4. four'), '<ol start=3><li>three</li><li>four</li></ol>');
    assert.equal(render('- outer\n  - inner'), '<ul><li>outer<ul><li>inner</li></ul></li></ul>');
  });

  test('links, written or bare, open in a new tab without opener or referrer', () => {
    assert.equal(render('[the plan](https://example.com/plan)'), `<p><a https://example.com/plan>the plan</a></p>`);
    assert.equal(render('see https://example.com/a?b=1.'), `<p>see <a https://example.com/a?b=1>https://example.com/a?b=1</a>.</p>`);
    assert.equal(render('<https://example.com>'), `<p><a https://example.com>https://example.com</a></p>`);
    assert.equal(render('write to ops@example.com'), `<p>write to <a mailto:ops@example.com>ops@example.com</a></p>`);
    assert.equal(render('[mail](mailto:ops@example.com)'), `<p><a mailto:ops@example.com>mail</a></p>`);
  });

  test('an address without https:// becomes a link for common endings, not for file names', () => {
    assert.equal(render('example.com and www.gov.cn'), `<p><a http://example.com>example.com</a> and <a http://www.gov.cn>www.gov.cn</a></p>`);
    assert.equal(render('see README.md, setup.py and run.sh'), '<p>see README.md, setup.py and run.sh</p>');
  });

  test('a bare URL in Chinese text ends at the Chinese punctuation after it', () => {
    assert.equal(render('请看https://example.com/a。谢谢'), `<p>请看<a https://example.com/a>https://example.com/a</a>。谢谢</p>`);
    assert.equal(render('文档：https://example.com/文档，谢谢'), `<p>文档：<a https://example.com/%E6%96%87%E6%A1%A3>https://example.com/文档</a>，谢谢</p>`);
  });

  test('what chat leaves as typed: headings, rules, tables, indented text, reference definitions', () => {
    assert.equal(render('# not a heading'), '<p># not a heading</p>');
    assert.equal(render('text\n---'), '<p>text<br>---</p>');
    assert.equal(render('| a | b |\n|---|---|'), '<p>| a | b |<br>|---|---|</p>');
    assert.equal(render('    indented prose'), '<p>indented prose</p>');
    assert.equal(render('[x]: https://example.com'), `<p>[x]: <a https://example.com>https://example.com</a></p>`);
  });

  test('a backslash keeps a character literal', () => {
    assert.equal(render('\\*not italic\\*'), '<p>*not italic*</p>');
  });
});

describe('message Markdown: Chinese emphasis', () => {
  test('bold directly followed by Chinese characters', () => {
    assert.equal(render('**加粗**文字'), '<p><strong>加粗</strong>文字</p>');
  });

  test('emphasis that ends in Chinese punctuation still closes before the next character', () => {
    assert.equal(render('**“重要”**请看'), '<p><strong>“重要”</strong>请看</p>');
    assert.equal(render('这是**重要：**内容'), '<p>这是<strong>重要：</strong>内容</p>');
    assert.equal(render('*斜体。*文字'), '<p><em>斜体。</em>文字</p>');
    assert.equal(render('~~删除。~~文字'), '<p><s>删除。</s>文字</p>');
  });

  test('English emphasis keeps its rule: no italics inside a snake_case word', () => {
    assert.equal(render('snake_case_name and 2*3*4'), '<p>snake_case_name and 2<em>3</em>4</p>');
  });
});

describe('message Markdown: mentions', () => {
  test('mentions are set off in plain, emphasised, quoted, listed and linked text', () => {
    assert.equal(render('hi @alice'), '<p>hi <mention>@alice</mention></p>');
    assert.equal(render('**@me** please'), '<p><strong><mention me>@me</mention></strong> please</p>');
    assert.equal(render('> @all read this'), '<blockquote><p><mention me>@all</mention> read this</p></blockquote>');
    assert.equal(render('- ask @alice'), '<ul><li>ask <mention>@alice</mention></li></ul>');
    assert.equal(render('[@alice](https://example.com)'), `<p><a https://example.com><mention>@alice</mention></a></p>`);
  });

  test('code keeps its @names as typed, and unknown names and e-mail addresses are not mentions', () => {
    assert.equal(render('`@alice` and\n```\n@alice\n```'), '<p><code>@alice</code> and</p><pre>@alice</pre>');
    assert.equal(render('@nobody'), '<p>@nobody</p>');
    assert.equal(render('alice@example.com'), `<p><a mailto:alice@example.com>alice@example.com</a></p>`);
  });

  test('a mention is the username alone: trailing punctuation and Chinese text after it stay outside', () => {
    assert.deepEqual(mentionPieces('thanks @alice.', kindOf), [{ text: 'thanks ' }, { text: '@alice', mention: 'other' }, { text: '.' }]);
    assert.deepEqual(mentionPieces('谢谢@alice。', kindOf), [{ text: '谢谢' }, { text: '@alice', mention: 'other' }, { text: '。' }]);
    assert.deepEqual(mentionPieces('x@alice @alicex', kindOf), [{ text: 'x@alice @alicex' }]);
  });
});

describe('message Markdown: hostile text', () => {
  test('only http(s) and mailto links: javascript:, data:, file: and relative targets stay text', () => {
    for (const target of ['javascript:alert(1)', 'JAVASCRIPT:alert(1)', 'data:text/html,<b>x</b>', 'vbscript:x', 'file:///etc/passwd', '/admin', '//evil.example/x']) {
      const html = render(`[click](${target})`);
      assert.doesNotMatch(html, /<a /, target);
      assert.match(html, /^<p>\[click\]/, target);
    }
    assert.doesNotMatch(render('[x](&#106;avascript:alert(1))'), /<a /);
    assert.doesNotMatch(render('[x](java\tscript:alert(1))'), /<a /);
    assert.doesNotMatch(render('<javascript:alert(1)>'), /<a /);
    assert.doesNotMatch(render('javascript:alert(1)'), /<a /);
  });

  test('the link check itself', () => {
    assert.equal(isAllowedLink('https://example.com'), true);
    assert.equal(isAllowedLink('HTTP://example.com'), true);
    assert.equal(isAllowedLink('mailto:a@example.com'), true);
    assert.equal(isAllowedLink('javascript:alert(1)'), false);
    assert.equal(isAllowedLink(' https://example.com'), false);
    assert.equal(isAllowedLink('https:example.com'), false);
  });

  test('raw HTML is shown as the characters typed, never as elements', () => {
    assert.equal(render('<script>alert(1)</script>'), '<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>');
    assert.equal(render('<img src=x onerror=alert(1)>'), '<p>&lt;img src=x onerror=alert(1)&gt;</p>');
    assert.equal(render('<div>\n<b>x</b>\n</div>'), '<p>&lt;div&gt;<br>&lt;b&gt;x&lt;/b&gt;<br>&lt;/div&gt;</p>');
    assert.equal(render('**<iframe src=x>**'), '<p><strong>&lt;iframe src=x&gt;</strong></p>');
    assert.deepEqual(messageMarkdownTree('<img src=x onerror=alert(1)>'), [{ kind: 'element', tag: 'p', children: [{ kind: 'text', text: '<img src=x onerror=alert(1)>' }] }]);
  });

  test('an image is never loaded: its syntax leaves a plain link to the picture', () => {
    assert.equal(render('![chart](https://tracker.example/pixel.png)'), `<p>!<a https://tracker.example/pixel.png>chart</a></p>`);
  });

  test('HTML entities stay as typed', () => {
    assert.equal(render('&amp; &lt;b&gt; &#60;script&#62; &copy;'), '<p>&amp;amp; &amp;lt;b&amp;gt; &amp;#60;script&amp;#62; &amp;copy;</p>');
  });

  test('a link title or attribute cannot be smuggled in', () => {
    assert.equal(render('[x](https://example.com "onclick=alert(1)")'), `<p><a https://example.com>x</a></p>`);
    assert.equal(render('[x](https://example.com/"onmouseover="alert(1))'), `<p><a https://example.com/%22onmouseover=%22alert(1)>x</a></p>`);
  });

  test('very long and deeply nested input renders every word', () => {
    const long = 'word **bold** '.repeat(5_000);
    assert.equal((render(long).match(/<strong>/g) ?? []).length, 5_000);
    assert.match(render('*'.repeat(50_000)), /^<ul>|^<p>/);
    assert.match(render('['.repeat(50_000)), /^<p>\[+<\/p>$/);
    assert.match(render('_a '.repeat(20_000)), /^<p>/);
    // Nesting deeper than the parser goes is shown as typed rather than losing what lies deeper.
    assert.ok(render(`${'>'.repeat(5_000)} deep`) === `<p>${'&gt;'.repeat(5_000)} deep</p>`);
    const lists = Array.from({ length: 500 }, (_, depth) => `${'  '.repeat(depth)}- level ${depth}`).join('\n');
    assert.ok(render(lists) === `<p>${lists}</p>`);
    assert.equal((render('> '.repeat(10) + '**ten deep**').match(/<blockquote>/g) ?? []).length, 10);
  });
});

describe('the web client makes no HTML from text', () => {
  test('no source sets innerHTML or uses dangerouslySetInnerHTML', () => {
    const root = fileURLToPath(new URL('../src/', import.meta.url));
    const sources = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((file) => /\.tsx?$/.test(file));
    assert.ok(sources.length > 100, 'the sources were found');
    const offenders = sources.filter((file) => /dangerouslySetInnerHTML|\.(inner|outer)HTML\b|insertAdjacentHTML|createContextualFragment/.test(readFileSync(join(root, file), 'utf8')));
    assert.deepEqual(offenders, []);
  });
});
