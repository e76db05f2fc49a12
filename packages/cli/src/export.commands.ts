import { readFileSync } from 'node:fs';
import type { Command } from './commands';
import { verifyExport } from './export-verify';

export const exportVerifyCommand: Command = {
  name: 'export verify',
  summary:
    "Check an eDiscovery export offline: the manifest's signature, every entry's size and SHA-256, no entry missing or added. Give the organisation's public key with --public-key; without it the key inside the zip is used, which shows accidental damage but not a forger's. Exits 1 when anything is wrong.",
  options: {
    'public-key': { type: 'string', description: "the organisation's audit public key (PEM file) to check the signature with" },
  },
  positional: { name: 'file', description: 'the export zip' },
  async run(values, out) {
    if (typeof values.file !== 'string') return out.fail('VALIDATION_FAILED', 'give the export file: enclave export verify <file>');
    const keyFile = values['public-key'];
    const publicKey = typeof keyFile === 'string' ? readFileSync(keyFile, 'utf8') : undefined;
    const result = await verifyExport(values.file, publicKey);
    const { manifest, ...rest } = result;
    const about = manifest ? { exportedAt: manifest.exportedAt, exportedBy: manifest.exportedBy, counts: manifest.counts } : {};
    const keyLine = result.keySource === 'given' ? `signature checked with the given key ${result.keyId}` : `signature checked with the key inside the zip (${result.keyId}); compare it with the key your organisation keeps, or pass --public-key`;
    out.result({ ...rest, ...about }, [
      result.ok ? `Export ${result.file} is intact: ${result.entries} entries, exported ${manifest!.exportedAt}; ${keyLine}.` : `Export ${result.file} FAILED verification:`,
      ...result.problems.map((problem) => `  ${problem.kind}: ${problem.detail}`),
    ]);
    return result.ok ? 0 : 1;
  },
};
