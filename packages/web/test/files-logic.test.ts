import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { FileMime, type FileInfo, type Label, type Message, type RoomSummary } from '@enclave/protocol';
import { createAttachmentStore } from '../src/files/attachment-store';
import { FILE_KINDS, kindOf, typesOf, viewerFor, viewerOf } from '../src/files/file-kinds';
import { formatFileSize } from '../src/files/file-size';
import { tileSize } from '../src/files/tile-size';
import { downloadForbidden } from '../src/protection/message-policy';

function file(overrides: Partial<FileInfo> = {}): FileInfo {
  return {
    id: 'f1', name: 'notes.txt', size: 12, mime: 'text/plain', label: 'internal', uploaderId: 'u', roomId: 'r', createdAt: '2026-01-01T00:00:00.000Z',
    width: null, height: null, hasThumbnail: false, pageCount: null, ...overrides,
  };
}

function label(id: string, downloadAllowed: boolean): Label {
  return { id, rank: 1, names: { en: id, 'zh-CN': id }, colour: '#000000', forwarding: 'anywhere', copyAllowed: true, downloadAllowed, marked: false };
}

const room = { downloadAllowed: true } as RoomSummary;
const message = { restrictions: { noForward: false, noCopy: false, noDownload: false } } as Message;

describe('file sizes', () => {
  test('are written in the reader’s language, in powers of 1024', () => {
    assert.equal(formatFileSize(1, 'en'), '1 byte');
    assert.equal(formatFileSize(812, 'en'), '812 bytes');
    assert.equal(formatFileSize(1536, 'en'), '1.5 kB');
    assert.equal(formatFileSize(25 * 1024 * 1024, 'en'), '25 MB');
    assert.equal(formatFileSize(812, 'zh-CN'), '812字节');
  });
});

describe('thumbnail tiles', () => {
  test('fit a 320 × 240 box without enlarging, keeping the image’s proportions', () => {
    assert.deepEqual(tileSize({ width: 800, height: 600 }), { width: 320, height: 240 });
    assert.deepEqual(tileSize({ width: 600, height: 800 }), { width: 180, height: 240 });
    assert.deepEqual(tileSize({ width: 100, height: 50 }), { width: 100, height: 50 });
    assert.deepEqual(tileSize({ width: 10_000, height: 10 }), { width: 320, height: 1 });
    assert.equal(tileSize({ width: null, height: null }), undefined);
  });
});

describe('file kinds', () => {
  test('group every recognised type exactly once, as the admin console lists them', () => {
    assert.deepEqual(FILE_KINDS.flatMap(typesOf).sort(), [...FileMime.options].sort());
  });

  test('offer a viewer only for what a browser can show', () => {
    assert.equal(viewerOf('image/webp'), 'image');
    assert.equal(viewerOf('text/csv'), 'text');
    assert.equal(viewerOf('application/pdf'), 'pdf');
    assert.equal(viewerOf('application/zip'), undefined);
    assert.equal(kindOf('application/vnd.openxmlformats-officedocument.wordprocessingml.document'), 'office');
  });

  test('offer a viewer for a view-only file only where the server draws it: images and PDFs, not text', () => {
    assert.deepEqual([viewerFor('image/png', false), viewerFor('application/pdf', false), viewerFor('text/plain', false)], ['image', 'pdf', undefined]);
    assert.equal(viewerFor('text/plain', true), 'text');
  });
});

describe('downloading', () => {
  test('is forbidden by the room, by any label in play or by the message, and the strictest wins', () => {
    assert.equal(downloadForbidden(room, [label('internal', true)], message), false);
    assert.equal(downloadForbidden({ ...room, downloadAllowed: false }, [label('internal', true)], message), true);
    assert.equal(downloadForbidden(room, [label('internal', true), label('secret', false)], message), true);
    assert.equal(downloadForbidden(room, [label('internal', true)], { ...message, restrictions: { ...message.restrictions, noDownload: true } }), true);
    assert.equal(downloadForbidden(room, [undefined], undefined), false, 'labels still loading and an unknown message leave it to the server');
  });
});

describe('the attachment store', () => {
  test('keeps uploaded files per person, room and thread, and forgets an empty list', () => {
    const backing = new Map<string, string>();
    const storage = { getItem: (key: string) => backing.get(key) ?? null, setItem: (key: string, value: string) => void backing.set(key, value), removeItem: (key: string) => void backing.delete(key) };
    const mine = createAttachmentStore(storage, 'me');
    mine.write('r', [file()]);
    mine.write('r', [file({ id: 'f2', name: 'reply.txt' })], 'root');
    assert.deepEqual(mine.read('r').map((f) => f.name), ['notes.txt']);
    assert.deepEqual(mine.read('r', 'root').map((f) => f.name), ['reply.txt']);
    assert.deepEqual(createAttachmentStore(storage, 'them').read('r'), []);
    mine.write('r', []);
    assert.equal([...backing.keys()].filter((key) => key.endsWith('.r')).length, 0);
  });

  test('reads nothing from damaged or foreign entries rather than failing', () => {
    const storage = { getItem: () => '{"not":"a list"', setItem: () => undefined, removeItem: () => undefined };
    assert.deepEqual(createAttachmentStore(storage, 'me').read('r'), []);
    const wrongShape = { ...storage, getItem: () => JSON.stringify([{ id: 'x' }]) };
    assert.deepEqual(createAttachmentStore(wrongShape, 'me').read('r'), []);
    assert.deepEqual(createAttachmentStore(undefined, 'me').read('r'), []);
  });
});
