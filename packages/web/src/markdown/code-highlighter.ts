import bash from 'highlight.js/lib/languages/bash';
import c from 'highlight.js/lib/languages/c';
import cpp from 'highlight.js/lib/languages/cpp';
import css from 'highlight.js/lib/languages/css';
import go from 'highlight.js/lib/languages/go';
import java from 'highlight.js/lib/languages/java';
import javascript from 'highlight.js/lib/languages/javascript';
import json from 'highlight.js/lib/languages/json';
import python from 'highlight.js/lib/languages/python';
import sql from 'highlight.js/lib/languages/sql';
import typescript from 'highlight.js/lib/languages/typescript';
import xml from 'highlight.js/lib/languages/xml';
import yaml from 'highlight.js/lib/languages/yaml';
import { createLowlight } from 'lowlight';
import { createElement, type ReactNode } from 'react';

/**
 * The languages people paste most at work, each by its name and highlight.js's aliases (`js`, `ts`, `py`, `sh`,
 * `html`, `yml`...). A short list keeps this chunk small; a block in any other language shows as plain code.
 * Nothing guesses a block's language: a block without a tag stays plain, as typed.
 */
const lowlight = createLowlight({ bash, c, cpp, css, go, java, javascript, json, python, sql, typescript, xml, yaml });

type HighlightedNode = ReturnType<typeof lowlight.highlight>['children'][number];

/** The code as spans classed for highlighting (`hljs-keyword`...), or null when the language is not one we know. */
export function highlightCode(code: string, language: string): ReactNode[] | null {
  const name = language.toLowerCase();
  if (!lowlight.registered(name)) return null;
  return lowlight.highlight(name, code).children.map(toReact);
}

/** lowlight answers a tree of spans and text, not HTML, so React builds the elements and escapes the text. */
function toReact(node: HighlightedNode, key: number): ReactNode {
  if (node.type === 'text') return node.value;
  if (node.type !== 'element') return null;
  const className = node.properties['className'];
  return createElement('span', { key, className: Array.isArray(className) ? className.join(' ') : undefined }, node.children.map(toReact));
}
