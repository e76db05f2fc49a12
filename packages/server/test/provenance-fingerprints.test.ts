import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import sharp from 'sharp';
import { hammingDistance, IMAGE_HASH_MAX_DISTANCE, imageHash } from '../src/provenance/image-hash';
import { MIN_SHINGLED_CHARS, signatureSimilarity, TEXT_SIMILARITY_THRESHOLD, textSignature } from '../src/provenance/text-shingles';
import { photoLikeJpeg } from './photo-fixture';

// The thresholds in image-hash.ts and text-shingles.ts are justified here: copies must fall on one side of them
// and unrelated content on the other, with room to spare.

const dir = mkdtempSync(path.join(tmpdir(), 'enclave-fingerprints-'));
async function hashOf(bytes: Buffer, name: string): Promise<string | null> {
  const file = path.join(dir, name);
  writeFileSync(file, bytes);
  return imageHash(file);
}

describe('image hashes', () => {
  test('a scaled, re-encoded or converted copy stays within the distance; other photos are far outside it', async () => {
    const original = await photoLikeJpeg(1);
    const base = (await hashOf(original, 'original.jpg'))!;
    assert.ok(base, 'a photo-like image has an informative hash');
    const copies = {
      'half size, JPEG quality 50': await sharp(original).resize(800).jpeg({ quality: 50 }).toBuffer(),
      'PNG': await sharp(original).png().toBuffer(),
      'quarter size WebP quality 40': await sharp(original).resize(400).webp({ quality: 40 }).toBuffer(),
      'slightly brighter': await sharp(original).modulate({ brightness: 1.1 }).jpeg().toBuffer(),
    };
    for (const [name, bytes] of Object.entries(copies)) {
      const distance = hammingDistance(base, (await hashOf(bytes, `${name}.img`))!);
      assert.ok(distance <= IMAGE_HASH_MAX_DISTANCE - 2, `${name}: distance ${distance}`);
    }
    for (let seed = 2; seed <= 21; seed += 1) {
      const distance = hammingDistance(base, (await hashOf(await photoLikeJpeg(seed), `other-${seed}.jpg`))!);
      assert.ok(distance > IMAGE_HASH_MAX_DISTANCE * 2, `photo ${seed}: distance ${distance}`);
    }
  });

  test('flat images get no perceptual hash, so they never match each other by it', async () => {
    const flat = await sharp({ create: { width: 300, height: 200, channels: 3, background: { r: 200, g: 40, b: 40 } } }).png().toBuffer();
    assert.equal(await hashOf(flat, 'flat.png'), null);
    assert.equal(await hashOf(Buffer.from('not an image'), 'broken.png'), null);
  });
});

describe('text signatures', () => {
  const similarity = (a: string, b: string) => signatureSimilarity(textSignature(a)!, textSignature(b)!);
  const plan = 'Q3 acquisition plan: we offer 42 million for Northwind, closing before the board meeting on the 14th. Keep this inside the deal team.';
  const 计划 = '第三季度收购计划：我们出价四千二百万收购北风公司，在十四号董事会之前完成交割，请只在交易团队内部传阅。';

  test('light edits, reordered sentences, case and punctuation changes stay above the threshold', () => {
    const copies = [
      'Q3 acquisition plan: we will offer 45 million for Northwind, closing before the board meeting on the 15th. Keep it inside the team.',
      'Keep this inside the deal team. Q3 acquisition plan: we offer 42 million for Northwind, closing before the board meeting on the 14th.',
      'q3 ACQUISITION PLAN -- we offer 42 million for northwind; closing before the board meeting on the 14th!!! keep this inside the deal team',
    ];
    for (const copy of copies) assert.ok(similarity(plan, copy) >= TEXT_SIMILARITY_THRESHOLD + 0.1, `${similarity(plan, copy)}: ${copy}`);
    const 改 = '第三季度收购计划：我们出价四千五百万收购北风公司，在十五号董事会之前完成交割，只在交易团队内部传阅。';
    assert.ok(similarity(计划, 改) >= TEXT_SIMILARITY_THRESHOLD + 0.1, `${similarity(计划, 改)}`);
    // Full-width forms and traditional-looking punctuation normalise to the same text.
    assert.equal(similarity(plan, plan.replace('42', '４２')), 1);
  });

  test('unrelated work messages in English and Chinese stay far below it', () => {
    const others = [
      'Lunch order for Friday: two pizzas, one salad, and please remember the vegetarian option for the new colleagues in marketing.',
      'The build on the release branch failed again because the integration tests timed out on the shared runner this morning.',
      'Reminder: the quarterly all-hands meeting moves to the large conference room on the 14th, please bring your laptops.',
      '周五的午餐订单：两个披萨，一份沙拉，请记得为市场部的新同事准备素食选项，谢谢大家的配合和理解。',
      '发布分支的构建今天早上又失败了，因为共享运行器上的集成测试超时了，请大家先不要合并代码。',
    ];
    for (const other of others) {
      assert.ok(similarity(plan, other) < TEXT_SIMILARITY_THRESHOLD / 2, `${similarity(plan, other)}: ${other}`);
      assert.ok(similarity(计划, other) < TEXT_SIMILARITY_THRESHOLD / 2, `${similarity(计划, other)}: ${other}`);
    }
  });

  test(`texts under ${MIN_SHINGLED_CHARS} characters get no signature`, () => {
    assert.equal(textSignature('ok, see you at the meeting at 3pm'), null);
    assert.equal(textSignature('好的，下午三点会议室见。'), null);
    assert.notEqual(textSignature(plan), null);
  });
});
