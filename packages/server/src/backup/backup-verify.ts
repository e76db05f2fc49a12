import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { MasterKeys } from '../keys/master-key';
import { hashFile, ProgressCounter, type ProgressListener } from './backup-copy';
import { checkManifest, MANIFEST_FILE, type BackupManifest } from './backup-manifest';

export interface BackupProblem {
  kind: 'manifest' | 'master-key' | 'missing' | 'changed' | 'extra';
  /** The file inside the backup directory, relative to it. */
  path: string;
  detail: string;
}

export interface BackupVerification {
  ok: boolean;
  dir: string;
  problems: BackupProblem[];
  /** Present once the manifest itself is authentic. */
  manifest?: BackupManifest;
  files: number;
  bytes: number;
}

/**
 * Checks a backup completely before anyone trusts it: the manifest is as written and its MAC holds with the
 * master key (so a manifest rewritten to match changed files is caught), then every file listed is there with
 * its size and SHA-256, and nothing else is. Reports every problem found, not only the first.
 */
export async function verifyBackup(dirGiven: string, masters: MasterKeys | undefined, onProgress?: ProgressListener): Promise<BackupVerification> {
  const dir = path.resolve(dirGiven);
  const failed = (problem: BackupProblem): BackupVerification => ({ ok: false, dir, problems: [problem], files: 0, bytes: 0 });
  let text: string;
  try {
    text = await readFile(path.join(dir, MANIFEST_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT' && (error as NodeJS.ErrnoException).code !== 'ENOTDIR') throw error;
    return failed({ kind: 'missing', path: MANIFEST_FILE, detail: `${dir} holds no ${MANIFEST_FILE}: it is not a finished Enclave backup` });
  }
  const checked = await checkManifest(text, masters);
  if (!checked.ok) return failed({ kind: checked.missingKey ? 'master-key' : 'manifest', path: MANIFEST_FILE, detail: checked.problem });
  const manifest = checked.manifest;
  const present = new Map((await listFiles(dir)).map((file) => [file.path, file.regular]));
  const problems: BackupProblem[] = [];
  const progress = new ProgressCounter('verify', manifest.entries.reduce((sum, entry) => sum + entry.size, 0), manifest.entries.length, onProgress);
  for (const entry of manifest.entries) {
    const regular = present.get(entry.path);
    present.delete(entry.path);
    if (regular === undefined) problems.push({ kind: 'missing', path: entry.path, detail: `${entry.path} is missing` });
    else if (!regular) problems.push({ kind: 'changed', path: entry.path, detail: `${entry.path} is not a regular file` });
    else {
      const sum = await hashFile(path.join(dir, entry.path), (count) => progress.bytes(count));
      if (sum.size !== entry.size) problems.push({ kind: 'changed', path: entry.path, detail: `${entry.path} has ${sum.size} bytes; the manifest says ${entry.size}` });
      else if (sum.sha256 !== entry.sha256) problems.push({ kind: 'changed', path: entry.path, detail: `${entry.path} was changed: its SHA-256 is not the manifest's` });
    }
    progress.fileDone();
  }
  present.delete(MANIFEST_FILE);
  for (const extra of present.keys()) problems.push({ kind: 'extra', path: extra, detail: `${extra} is not in the manifest` });
  const bytes = manifest.entries.reduce((sum, entry) => sum + entry.size, 0);
  return { ok: problems.length === 0, dir, problems, manifest, files: manifest.entries.length, bytes };
}

/** Every entry under the directory except directories themselves, with '/' separators. */
async function listFiles(root: string): Promise<{ path: string; regular: boolean }[]> {
  const found: { path: string; regular: boolean }[] = [];
  const walk = async (relative: string) => {
    for (const entry of await readdir(path.join(root, relative), { withFileTypes: true })) {
      const child = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) await walk(child);
      else found.push({ path: child, regular: entry.isFile() });
    }
  };
  await walk('');
  return found;
}
