import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FileMime } from '@enclave/protocol';
import { decodeXmlEntities, wordprocessingText } from '../src/files/text-extraction/docx-text';
import { extractText, extractTextWithStatus, type TextExtractionLimits } from '../src/files/text-extraction/index';
import { DOCUMENT_WORKERS_MAX } from '../src/files/text-extraction/run-document-worker';
import { declareUncompressedSize, makeDocx, makePdf, makeZipBomb } from './file-fixtures';

const DOCX: FileMime = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const PDF: FileMime = 'application/pdf';
// The default time limit is a production bound; tests that expect a full result lift it so that they do not
// depend on how busy the machine running them is. The time limit has tests of its own.
const AMPLE_TIME: Partial<TextExtractionLimits> = { timeoutMs: 120_000 };

let directory = '';
let fileCount = 0;
before(async () => {
  directory = await mkdtemp(path.join(tmpdir(), 'enclave-text-extraction-'));
});
after(async () => {
  await rm(directory, { recursive: true, force: true });
});

async function file(content: string | Uint8Array): Promise<string> {
  fileCount += 1;
  const filePath = path.join(directory, `file-${fileCount}`);
  await writeFile(filePath, content);
  return filePath;
}

async function extract(content: string | Uint8Array, mime: FileMime, limits: Partial<TextExtractionLimits> = {}) {
  return extractTextWithStatus(await file(content), mime, { ...AMPLE_TIME, ...limits });
}

describe('text extraction: text files', () => {
  test('returns text, CSV and Markdown files whole, Chinese included', async () => {
    const samples: Array<[FileMime, string]> = [
      ['text/plain', 'Quarterly figures\n季度数字：机密\n'],
      ['text/csv', 'name,部门\nAlice,财务部\n'],
      ['text/markdown', '# 会议纪要\n\n- **Budget** approved\n'],
    ];
    for (const [mime, content] of samples) {
      assert.equal(await extractText(await file(content), mime), content);
      assert.deepEqual(await extract(content, mime), { text: content, complete: true });
    }
  });

  test('stops at the byte bound without splitting a UTF-8 character', async () => {
    // "中" takes bytes 9 to 11, so a 10-byte bound falls inside it.
    const result = await extract('aaaaaaaaa中文', 'text/plain', { maxTextBytes: 10 });
    assert.deepEqual(result, { text: 'aaaaaaaaa', complete: false });
  });

  test('keeps at most maxChars characters and never half of a surrogate pair', async () => {
    assert.deepEqual(await extract('abcdef', 'text/plain', { maxChars: 4 }), { text: 'abcd', complete: false });
    assert.deepEqual(await extract('ab😀cd', 'text/plain', { maxChars: 3 }), { text: 'ab', complete: false });
    assert.deepEqual(await extract('abcd', 'text/plain', { maxChars: 4 }), { text: 'abcd', complete: true });
  });

  test('a file that cannot be read yields empty, incomplete text rather than an error', async () => {
    const missing = path.join(directory, 'no-such-file');
    assert.deepEqual(await extractTextWithStatus(missing, 'text/plain'), { text: '', complete: false });
    assert.deepEqual(await extractTextWithStatus(missing, PDF, AMPLE_TIME), { text: '', complete: false });
  });

  test('types without text yield empty text, complete', async () => {
    const png = await file(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    for (const mime of ['image/png', 'application/zip', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'application/octet-stream'] as const) {
      assert.deepEqual(await extractTextWithStatus(png, mime), { text: '', complete: true });
      assert.equal(await extractText(png, mime), '');
    }
  });
});

describe('text extraction: PDF', () => {
  test('reads every page, one line per line and pages in order', async () => {
    const pdf = await makePdf('Quarterly report\nRevenue up 12%\fPage two: confidential\fThe end');
    assert.deepEqual(await extract(pdf, PDF), { text: 'Quarterly report\nRevenue up 12%\nPage two: confidential\nThe end', complete: true });
  });

  test('stops after maxPdfPages pages and says so', async () => {
    const pdf = await makePdf('one\ftwo\fthree');
    assert.deepEqual(await extract(pdf, PDF, { maxPdfPages: 2 }), { text: 'one\ntwo', complete: false });
  });

  test('stops at maxChars', async () => {
    const pdf = await makePdf('abcdef\fghijkl');
    assert.deepEqual(await extract(pdf, PDF, { maxChars: 8 }), { text: 'abcdef\ng', complete: false });
  });

  test('a corrupt PDF yields empty, incomplete text without waiting for the time limit', async () => {
    const started = Date.now();
    assert.deepEqual(await extract('%PDF-1.7\nthis is not really a PDF', PDF), { text: '', complete: false });
    assert.ok(Date.now() - started < AMPLE_TIME.timeoutMs!, 'failed on its own, not at the time limit');
  });

  test('a PDF larger than maxDocumentBytes is not parsed', async () => {
    const pdf = await makePdf('too big');
    assert.deepEqual(await extract(pdf, PDF, { maxDocumentBytes: pdf.length - 1 }), { text: '', complete: false });
  });
});

describe('text extraction: DOCX', () => {
  test('reads paragraphs, tabs, breaks, escaped characters and Chinese', async () => {
    const docx = makeDocx(['Name\tDepartment', 'R&D <internal> "draft" \'v2\'', '第一行\n第二行', '']);
    assert.deepEqual(await extract(docx, DOCX), {
      text: 'Name\tDepartment\nR&D <internal> "draft" \'v2\'\n第一行\n第二行\n\n',
      complete: true,
    });
  });

  test('reads headers and footers after the body', async () => {
    const docx = makeDocx(['Body text'], { header: ['机密 Confidential'], footer: ['Page footer'] });
    assert.deepEqual(await extract(docx, DOCX), { text: 'Body text\n机密 Confidential\nPage footer\n', complete: true });
  });

  test('stops at maxChars', async () => {
    const docx = makeDocx(['abcdef', 'ghijkl']);
    assert.deepEqual(await extract(docx, DOCX, { maxChars: 9 }), { text: 'abcdef\ngh', complete: false });
  });

  test('a part that declares a huge size is never inflated', async () => {
    const docx = declareUncompressedSize(makeDocx(['Body text'], { header: ['Header text'] }), 'word/document.xml', 0xfffffff0);
    assert.deepEqual(await extract(docx, DOCX), { text: 'Header text\n', complete: false });
  });

  test('a zip bomb beyond maxDocxInflatedBytes is not inflated', async () => {
    const bomb = makeZipBomb(4 * 1024 * 1024);
    assert.ok(bomb.length < 100 * 1024, 'the bomb really is one');
    assert.deepEqual(await extract(bomb, DOCX, { maxDocxInflatedBytes: 1024 * 1024 }), { text: '', complete: false });
  });

  test('a part that declares less than it holds yields at most what it declared, marked incomplete', async () => {
    const paragraph = 'A paragraph long enough to be cut off part way through. '.repeat(20);
    // 600 bytes reach a little way into the paragraph's text, which starts about 260 bytes into the part.
    const docx = declareUncompressedSize(makeDocx([paragraph]), 'word/document.xml', 600);
    const result = await extract(docx, DOCX);
    assert.equal(result.complete, false);
    assert.ok(result.text.length > 0 && result.text.length < 600, `some text, got ${JSON.stringify(result.text)}`);
    assert.ok(paragraph.startsWith(result.text), `a prefix of the paragraph, got ${JSON.stringify(result.text)}`);
  });

  test('a corrupt DOCX yields empty, incomplete text', async () => {
    const docx = makeDocx(['Body text']);
    assert.deepEqual(await extract(docx.subarray(0, docx.length - 30), DOCX), { text: '', complete: false });
    assert.deepEqual(await extract('PK\u0003\u0004 not a zip', DOCX), { text: '', complete: false });
  });
});

describe('text extraction: WordprocessingML', () => {
  test('decodes the predefined entities and numeric references, leaving anything else as written', () => {
    assert.equal(decodeXmlEntities('&amp;&lt;&gt;&quot;&apos; &#20013;&#x6587; &#x1F600; &nbsp; &#xD800; & &amp'), '&<>"\' 中文 😀 &nbsp; \uFFFD & &amp');
  });

  test('counts tabs only inside runs, so tab stop definitions add nothing', () => {
    const xml =
      '<w:body><w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr>' +
      '<w:r><w:rPr><w:b/></w:rPr><w:t>a</w:t><w:tab/><w:t xml:space="preserve"> b </w:t><w:br/><w:t/><w:cr/></w:r></w:p>' +
      '<w:p/><w:tbl><w:tr><w:tc><w:p><w:r><w:t>cell &amp; more</w:t></w:r></w:p></w:tc></w:tr></w:tbl></w:body>';
    // Break, carriage return, end of the first paragraph, the empty paragraph.
    assert.equal(wordprocessingText(xml, 1000), 'a\t b \n\n\n\ncell & more\n');
  });

  test('stays linear on hostile input', () => {
    // Patterns that make a backtracking scanner retry from every position; linear work finishes these at once.
    const started = Date.now();
    wordprocessingText('<w:t '.repeat(200_000), 1000);
    wordprocessingText(`<w:t>${'<'.repeat(1_000_000)}`, 1000);
    wordprocessingText(`<w:r><w:t>${'&#1'.repeat(300_000)}</w:t></w:r>`, 1_000_000);
    assert.ok(Date.now() - started < 5_000);
  });
});

describe('text extraction: bounds on the worker', () => {
  test('gives up at the time limit and returns without waiting for the worker', async () => {
    const pdf = await file(await makePdf('Page one\fPage two'));
    const started = Date.now();
    // A worker cannot even start in 20 ms, so this always meets the time limit.
    assert.deepEqual(await extractTextWithStatus(pdf, PDF, { timeoutMs: 20 }), { text: '', complete: false });
    assert.ok(Date.now() - started < 5_000, 'returned at the time limit');
  });

  test('a worker that runs out of heap ends its extraction, not the server', async () => {
    const pdf = await file(await makePdf('Still here'));
    // pdf.js alone needs more than 8 MB of heap.
    assert.deepEqual(await extractTextWithStatus(pdf, PDF, { ...AMPLE_TIME, maxWorkerHeapMb: 8 }), { text: '', complete: false });
    assert.deepEqual(await extractTextWithStatus(pdf, PDF, AMPLE_TIME), { text: 'Still here', complete: true });
  });

  test('more extractions than workers at once all finish, each with its own text', async () => {
    const count = DOCUMENT_WORKERS_MAX * 2 + 1;
    const files = await Promise.all(Array.from({ length: count }, (_, i) => file(makeDocx([`Document ${i}`]))));
    const results = await Promise.all(files.map((filePath) => extractTextWithStatus(filePath, DOCX, AMPLE_TIME)));
    assert.deepEqual(
      results,
      files.map((_, i) => ({ text: `Document ${i}\n`, complete: true })),
    );
  });
});
