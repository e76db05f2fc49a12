import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { setTimeout as pause } from 'node:timers/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FileMime } from '@enclave/protocol';
import sharp from 'sharp';
import { decodeXmlEntities, wordprocessingText } from '../src/files/text-extraction/docx-text';
import { DocumentWorkerPool, extractText, extractTextWithStatus, type TextExtractionLimits } from '../src/files/text-extraction/index';
import { markupText } from '../src/files/text-extraction/markup-text';
import { DOCUMENT_WORKERS_MAX } from '../src/files/text-extraction/document-worker-pool';
import { declareUncompressedSize, iTXt, makeDocx, makeLongPdf, makePdf, makePptx, makeXlsx, makeZip, makeZipBomb, withJpegComment, withPngChunks } from './file-fixtures';
import { pngImage } from './upload-helpers';

const DOCX: FileMime = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const PDF: FileMime = 'application/pdf';
const XLSX: FileMime = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const PPTX: FileMime = 'application/vnd.openxmlformats-officedocument.presentationml.presentation';
const ZIP: FileMime = 'application/zip';
// The default time limit is a production bound; tests that expect a full result lift it so that they do not
// depend on how busy the machine running them is. The time limit has tests of its own.
const AMPLE_TIME: Partial<TextExtractionLimits> = { timeoutMs: 120_000 };

let directory = '';
let fileCount = 0;
// One pool for the whole file, as a server has: most tests below run on workers that earlier tests started.
const documents = new DocumentWorkerPool();
before(async () => {
  directory = await mkdtemp(path.join(tmpdir(), 'enclave-text-extraction-'));
});
after(async () => {
  await documents.close();
  await rm(directory, { recursive: true, force: true });
});

async function file(content: string | Uint8Array): Promise<string> {
  fileCount += 1;
  const filePath = path.join(directory, `file-${fileCount}`);
  await writeFile(filePath, content);
  return filePath;
}

async function extract(content: string | Uint8Array, mime: FileMime, limits: Partial<TextExtractionLimits> = {}) {
  return extractTextWithStatus(await file(content), mime, documents, { ...AMPLE_TIME, ...limits });
}

describe('text extraction: text files', () => {
  test('returns text, CSV and Markdown files whole, Chinese included', async () => {
    const samples: Array<[FileMime, string]> = [
      ['text/plain', 'Quarterly figures\n季度数字：机密\n'],
      ['text/csv', 'name,部门\nAlice,财务部\n'],
      ['text/markdown', '# 会议纪要\n\n- **Budget** approved\n'],
    ];
    for (const [mime, content] of samples) {
      assert.equal(await extractText(await file(content), mime, documents), content);
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
    assert.deepEqual(await extractTextWithStatus(missing, 'text/plain', documents), { text: '', complete: false });
    assert.deepEqual(await extractTextWithStatus(missing, PDF, documents, AMPLE_TIME), { text: '', complete: false });
  });

  test('types without text yield empty text, complete', async () => {
    const binary = await file(new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 3]));
    for (const mime of ['application/x-executable', 'application/octet-stream'] as const) {
      assert.deepEqual(await extractTextWithStatus(binary, mime, documents), { text: '', complete: true });
      assert.equal(await extractText(binary, mime, documents), '');
    }
  });

  test('an Office document or archive that cannot be read is never "complete with no text"', async () => {
    const notAZip = await file('PK\u0003\u0004 not a zip');
    for (const mime of [XLSX, PPTX, ZIP]) assert.deepEqual(await extractTextWithStatus(notAZip, mime, documents, AMPLE_TIME), { text: '', complete: false });
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

  test('a zip bomb beyond maxInflatedBytes is not inflated', async () => {
    const bomb = makeZipBomb(4 * 1024 * 1024);
    assert.ok(bomb.length < 100 * 1024, 'the bomb really is one');
    assert.deepEqual(await extract(bomb, DOCX, { maxInflatedBytes: 1024 * 1024 }), { text: '', complete: false });
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

describe('text extraction: what Office documents keep out of sight', () => {
  test('a DOCX gives its comments and document properties after the body', async () => {
    const docx = makeDocx(['Body text'], { comments: ['机密 do not share'], properties: { 'dc:title': 'Plan', 'cp:keywords': 'TOP SECRET' } });
    assert.deepEqual(await extract(docx, DOCX), { text: 'Body text\n机密 do not share\nPlan\nTOP SECRET\n', complete: true });
  });

  test('an XLSX gives its sheet names, cell text and inline strings, never shared-string indices', async () => {
    const xlsx = makeXlsx('工资表', [['Name', 'ID'], ['Alice', '110101199003078515']], { inline: 'inline note' });
    assert.deepEqual(await extract(xlsx, XLSX), { text: '工资表\nName\nID\nAlice\n110101199003078515\ninline note\n', complete: true });
  });

  test('a PPTX gives slides, then speaker notes, with words split over runs kept whole', async () => {
    const pptx = makePptx(['季度计划', '第二页'], ['机密：不要外传']);
    assert.deepEqual(await extract(pptx, PPTX), { text: '季度计划\n第二页\n机密：不要外传\n', complete: true });
  });
});

describe('text extraction: ZIP archives', () => {
  test('gives member names and the text of readable members, OpenDocument included', async () => {
    const zip = makeZip({
      'notes.txt': 'plain 机密 text',
      'report.odt': makeZip({ mimetype: 'application/vnd.oasis.opendocument.text', 'content.xml': '<office:text><text:p>Top<text:span>Secret</text:span></text:p></office:text>' }),
      'photo.bin': new Uint8Array([0, 1, 2, 3]),
    });
    const result = await extract(zip, ZIP);
    assert.equal(result.complete, true);
    for (const expected of ['notes.txt\n', 'photo.bin\n', 'report.odt\n', 'plain 机密 text\n', 'TopSecret\n']) assert.ok(result.text.includes(expected), `${expected} in ${JSON.stringify(result.text)}`);
  });

  test('reads an Office document and a PDF inside an archive with their own readers', async () => {
    const zip = makeZip({ 'a/minutes.docx': makeDocx(['Minutes'], { comments: ['hidden comment'] }), 'b/scan.pdf': await makePdf('PDF inside') });
    const result = await extract(zip, ZIP);
    assert.equal(result.complete, true);
    assert.ok(result.text.includes('Minutes\nhidden comment\n') && result.text.includes('PDF inside'), JSON.stringify(result.text));
  });

  test('reads nested archives to maxArchiveDepth, and an archive nested deeper is unread', async () => {
    let nested = makeZip({ 'deep.txt': 'the secret at the bottom' });
    for (let level = 0; level < 2; level++) nested = makeZip({ [`level${level}.zip`]: nested });
    assert.ok((await extract(nested, ZIP)).text.includes('the secret at the bottom'));
    const tooDeep = await extract(nested, ZIP, { maxArchiveDepth: 1 });
    assert.equal(tooDeep.complete, false);
    assert.ok(!tooDeep.text.includes('the secret at the bottom'));
  });

  test('a zip bomb, a member past the size bound and too many members leave the archive unread', async () => {
    const bomb = makeZip({ 'inner.zip': makeZipBomb(4 * 1024 * 1024) });
    assert.equal((await extract(bomb, ZIP, { maxInflatedBytes: 1024 * 1024 })).complete, false);
    const huge = declareUncompressedSize(makeZip({ 'a.txt': 'small' }), 'a.txt', 0xfffffff0);
    assert.deepEqual(await extract(huge, ZIP), { text: 'a.txt\n', complete: false });
    const many = makeZip(Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`m${i}.txt`, 'x'])));
    assert.equal((await extract(many, ZIP, { maxArchiveMembers: 10 })).complete, false);
  });

  test('an encrypted member leaves the archive unread', async () => {
    const zip = makeZip({ 'secret.txt': 'encrypted in real life' });
    // Set the encryption flag in the local and the central header, as a password-protected archive has it.
    const flagged = zip.slice();
    const view = new DataView(flagged.buffer);
    for (let at = 0; at + 4 <= flagged.length; at++) {
      if (view.getUint32(at, true) === 0x04034b50) view.setUint16(at + 6, 1, true);
      if (view.getUint32(at, true) === 0x02014b50) view.setUint16(at + 8, 1, true);
    }
    assert.deepEqual(await extract(flagged, ZIP), { text: 'secret.txt\n', complete: false });
  });
});

describe('text extraction: image metadata', () => {
  test('a PNG gives its tEXt, compressed and uncompressed iTXt chunks; one without any gives nothing, complete', async () => {
    const plain = new Uint8Array(await pngImage(4, 4));
    assert.deepEqual(await extract(plain, 'image/png'), { text: '', complete: true });
    const tagged = withPngChunks(plain, [
      ['tEXt', new TextEncoder().encode('Comment\0plain words')],
      ['iTXt', iTXt('Description', '绝密 图片')],
      ['iTXt', iTXt('Title', 'compressed 机密', { compressed: true })],
    ]);
    assert.deepEqual(await extract(tagged, 'image/png'), { text: 'Comment: plain words\nDescription: 绝密 图片\nTitle: compressed 机密\n', complete: true });
  });

  test('a compressed PNG chunk that inflates past the bound leaves the image unread', async () => {
    const tagged = withPngChunks(new Uint8Array(await pngImage(4, 4)), [['iTXt', iTXt('Comment', 'a'.repeat(100_000), { compressed: true })]]);
    assert.equal((await extract(tagged, 'image/png', { maxInflatedBytes: 10_000 })).complete, false);
  });

  test('a JPEG gives its comment segment and EXIF text fields', async () => {
    const jpeg = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#888' } })
      .jpeg()
      .withExif({ IFD0: { ImageDescription: 'CONFIDENTIAL plan', Artist: 'Jane Doe' } })
      .toBuffer();
    const result = await extract(withJpegComment(new Uint8Array(jpeg), 'comment 机密'), 'image/jpeg');
    assert.equal(result.complete, true);
    for (const expected of ['comment 机密\n', 'CONFIDENTIAL plan\n', 'Jane Doe\n']) assert.ok(result.text.includes(expected), `${expected} in ${JSON.stringify(result.text)}`);
  });
});

describe('text extraction: image metadata in other formats', () => {
  const xmp = (description: string) =>
    '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">' +
    `<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/" dc:format="image/webp"><dc:description><rdf:Alt><rdf:li xml:lang="x-default">${description}</rdf:li></rdf:Alt></dc:description></rdf:Description></rdf:RDF></x:xmpmeta>`;
  const image = () => sharp({ create: { width: 4, height: 4, channels: 3, background: '#888' } });

  test('WebP and JPEG give their XMP properties, element and attribute forms alike', async () => {
    for (const [mime, bytes] of [
      ['image/webp', await image().webp().withXmp(xmp('机密 webp')).toBuffer()],
      ['image/jpeg', await image().jpeg().withXmp(xmp('机密 jpeg')).toBuffer()],
    ] as const) {
      const result = await extract(new Uint8Array(bytes), mime);
      assert.equal(result.complete, true, mime);
      assert.ok(result.text.includes(`机密 ${mime.slice(6)}\n`) && result.text.includes(`image/webp\n`), `${mime}: ${JSON.stringify(result.text)}`);
    }
  });

  test('a GIF gives its comment extension', async () => {
    const gif = new Uint8Array(await image().gif().toBuffer());
    const comment = new TextEncoder().encode('gif comment SECRET');
    // A comment extension just before the trailer: introducer, label, one sub-block, terminator.
    const tagged = new Uint8Array([...gif.subarray(0, -1), 0x21, 0xfe, comment.length, ...comment, 0, 0x3b]);
    assert.deepEqual(await extract(tagged, 'image/gif'), { text: 'gif comment SECRET\n', complete: true });
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

  test('reads the deleted text of tracked changes, which reviewers see', () => {
    assert.equal(wordprocessingText('<w:p><w:del><w:r><w:delText>机密</w:delText></w:r></w:del><w:r><w:t>ok</w:t></w:r></w:p>', 1000), '机密ok\n');
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

describe('text extraction: other XML vocabularies', () => {
  test('keeps words split over runs whole, and puts each value, paragraph and cell on a line of its own', () => {
    const slide = '<p:sp><a:p><a:r><a:rPr lang="zh"/><a:t>机</a:t></a:r><a:r><a:rPr lang="zh"></a:rPr><a:t>密</a:t></a:r></a:p><a:p><a:r><a:t>two</a:t></a:r></a:p></p:sp>';
    assert.equal(markupText(slide, 1000), '机密\ntwo\n');
    const properties = '<cp:coreProperties><dc:title>Top</dc:title><cp:keywords>Secret</cp:keywords></cp:coreProperties>';
    assert.equal(markupText(properties, 1000), 'Top\nSecret\n');
    const odf = '<office:text><text:p>a<text:s/>b<text:span>c</text:span><text:tab/>d</text:p></office:text>';
    assert.equal(markupText(odf, 1000), 'a bc\td\n');
  });

  test('leaves out shared-string indices, and reads names and alternative text from attributes', () => {
    const sheet = '<row><c r="A1" t="s"><v>7</v></c><c r="B1"><v>42</v></c><c t="inlineStr"><is><t>x</t></is></c></row>';
    assert.equal(markupText(sheet, 1000, { sharedStringCells: true }), '42\nx\n');
    assert.equal(markupText('<sheets><sheet name="工资 &amp; 奖金" sheetId="1" r:id="rId1"/></sheets>', 1000, { attributes: 'labels' }), '工资 & 奖金\n');
  });

  test('stays linear on hostile input', () => {
    const started = Date.now();
    markupText('<a:t '.repeat(200_000), 1000);
    markupText(`<t>${'<'.repeat(1_000_000)}`, 1000);
    markupText(`<x ${'a="1" '.repeat(100_000)}>`, 1_000_000, { attributes: 'all' });
    assert.ok(Date.now() - started < 5_000);
  });
});

describe('text extraction: bounds on the worker', () => {
  test('gives up at the time limit and returns without waiting for the worker', async () => {
    const pdf = await file(await makePdf('Page one\fPage two'));
    const cold = new DocumentWorkerPool({ size: 1 });
    try {
      const started = Date.now();
      // A worker cannot even start in 20 ms, so this always meets the time limit.
      assert.deepEqual(await extractTextWithStatus(pdf, PDF, cold, { timeoutMs: 20 }), { text: '', complete: false });
      assert.ok(Date.now() - started < 5_000, 'returned at the time limit');
      // The worker was left to finish starting rather than ended, so the next extraction does not start another.
      assert.deepEqual(await extractTextWithStatus(pdf, PDF, cold, AMPLE_TIME), { text: 'Page one\nPage two', complete: true });
      assert.equal(cold.stats().workersStarted, 1);
    } finally {
      await cold.close();
    }
  });

  test('a worker that runs out of heap ends its extraction, not the server', async () => {
    const pdf = await file(await makePdf('Still here'));
    // pdf.js alone needs more than 8 MB of heap.
    assert.deepEqual(await extractTextWithStatus(pdf, PDF, documents, { ...AMPLE_TIME, maxWorkerHeapMb: 8 }), { text: '', complete: false });
    assert.deepEqual(await extractTextWithStatus(pdf, PDF, documents, AMPLE_TIME), { text: 'Still here', complete: true });
  });

  test('more extractions than workers at once all finish, each with its own text', async () => {
    const count = DOCUMENT_WORKERS_MAX * 2 + 1;
    const files = await Promise.all(Array.from({ length: count }, (_, i) => file(makeDocx([`Document ${i}`]))));
    const results = await Promise.all(files.map((filePath) => extractTextWithStatus(filePath, DOCX, documents, AMPLE_TIME)));
    assert.deepEqual(
      results,
      files.map((_, i) => ({ text: `Document ${i}\n`, complete: true })),
    );
  });
});

describe('text extraction: the document worker pool', () => {
  async function withPool(options: ConstructorParameters<typeof DocumentWorkerPool>[0], use: (pool: DocumentWorkerPool) => Promise<void>) {
    const pool = new DocumentWorkerPool(options);
    try {
      await use(pool);
    } finally {
      await pool.close();
    }
  }

  test('starts no worker until one is needed, then reuses it for the next files, whatever their kind', async () => {
    await withPool({ size: 1 }, async (pool) => {
      assert.deepEqual(pool.stats(), { workersStarted: 0, workersAlive: 0 });
      const files = [
        [await file(await makePdf('A report')), PDF, 'A report'],
        [await file(makeDocx(['A letter'])), DOCX, 'A letter\n'],
        [await file(await makePdf('Another report')), PDF, 'Another report'],
      ] as const;
      for (const [filePath, mime, text] of files) assert.deepEqual(await extractTextWithStatus(filePath, mime, pool, AMPLE_TIME), { text, complete: true });
      assert.deepEqual(pool.stats(), { workersStarted: 1, workersAlive: 1 });
    });
  });

  test('replaces a worker after its quota of extractions', async () => {
    await withPool({ size: 1, extractionsPerWorker: 2 }, async (pool) => {
      for (let i = 0; i < 5; i++) assert.deepEqual(await extractTextWithStatus(await file(makeDocx([`Letter ${i}`])), DOCX, pool, AMPLE_TIME), { text: `Letter ${i}\n`, complete: true });
      assert.deepEqual(pool.stats(), { workersStarted: 3, workersAlive: 1 });
    });
  });

  test('an extraction past its time limit on a warm worker is incomplete, and the next one runs on a fresh worker', async () => {
    await withPool({ size: 1 }, async (pool) => {
      const small = await file(await makePdf('Before'));
      assert.deepEqual(await extractTextWithStatus(small, PDF, pool, AMPLE_TIME), { text: 'Before', complete: true });
      // All 3,000 pages take a warm worker about 10 s on the 2-core bench VM, so it is busy with them when the time
      // limit ends it.
      const long = await file(await makeLongPdf(3_000));
      const cut = await extractTextWithStatus(long, PDF, pool, { timeoutMs: 1_000, maxPdfPages: 3_000, maxChars: 10_000_000 });
      assert.equal(cut.complete, false);
      assert.deepEqual(await extractTextWithStatus(await file(await makePdf('After')), PDF, pool, AMPLE_TIME), { text: 'After', complete: true });
      assert.deepEqual(pool.stats(), { workersStarted: 2, workersAlive: 1 });
    });
  });

  test('a worker that dies of its heap limit is replaced, at the heap limit the next extraction asks for', async () => {
    await withPool({ size: 1 }, async (pool) => {
      const pdf = await file(await makePdf('Still here'));
      assert.deepEqual(await extractTextWithStatus(pdf, PDF, pool, AMPLE_TIME), { text: 'Still here', complete: true });
      // pdf.js alone needs more than 8 MB of heap, so a worker with that limit dies before it takes the extraction.
      assert.deepEqual(await extractTextWithStatus(pdf, PDF, pool, { ...AMPLE_TIME, maxWorkerHeapMb: 8 }), { text: '', complete: false });
      assert.deepEqual(pool.stats(), { workersStarted: 2, workersAlive: 0 });
      assert.deepEqual(await extractTextWithStatus(pdf, PDF, pool, AMPLE_TIME), { text: 'Still here', complete: true });
      assert.deepEqual(pool.stats(), { workersStarted: 3, workersAlive: 1 });
    });
  });

  test('a warm worker that runs out of heap on a file gives the text it had read, marked incomplete, and the next file gets a fresh worker', async () => {
    // 32 MB holds pdf.js and a short PDF, but not a 3,000-page one read to the end: the worker dies part way in.
    const limits = { ...AMPLE_TIME, maxWorkerHeapMb: 32, maxPdfPages: 3_000, maxChars: 10_000_000 };
    await withPool({ size: 1 }, async (pool) => {
      assert.deepEqual(await extractTextWithStatus(await file(await makePdf('Before')), PDF, pool, limits), { text: 'Before', complete: true });
      const cut = await extractTextWithStatus(await file(await makeLongPdf(3_000)), PDF, pool, limits);
      assert.equal(cut.complete, false);
      assert.ok(cut.text.startsWith('page 1 line 1:') || cut.text === '', 'only text the worker had read');
      assert.deepEqual(pool.stats(), { workersStarted: 1, workersAlive: 0 });
      assert.deepEqual(await extractTextWithStatus(await file(await makePdf('After')), PDF, pool, limits), { text: 'After', complete: true });
      assert.deepEqual(pool.stats(), { workersStarted: 2, workersAlive: 1 });
    });
  });

  test('closing ends every worker, the busy one too, and later extractions come back unread', async () => {
    const pool = new DocumentWorkerPool({ size: 2 });
    const docx = await file(makeDocx(['Warm']));
    await Promise.all([extractTextWithStatus(docx, DOCX, pool, AMPLE_TIME), extractTextWithStatus(docx, DOCX, pool, AMPLE_TIME)]);
    assert.deepEqual(pool.stats(), { workersStarted: 2, workersAlive: 2 });
    const long = await file(await makeLongPdf(3_000));
    const busy = extractTextWithStatus(long, PDF, pool, { ...AMPLE_TIME, maxPdfPages: 3_000, maxChars: 10_000_000 });
    // The pause lets the worker take the 10-second job before the pool closes; were it not taken yet, the
    // extraction would come back unread all the same, so the assertions hold either way.
    await pause(500);
    await pool.close();
    assert.equal((await busy).complete, false);
    assert.deepEqual(pool.stats(), { workersStarted: 2, workersAlive: 0 });
    assert.deepEqual(await extractTextWithStatus(docx, DOCX, pool, AMPLE_TIME), { text: '', complete: false });
    assert.equal(pool.stats().workersStarted, 2);
  });
});
