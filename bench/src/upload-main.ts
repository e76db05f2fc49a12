// `npm run bench:upload`: the upload-fingerprinting section of the full bench on its own: a 5 MB photo uploaded
// to two fresh servers, fingerprints off and on, in turns. Prints `BENCH_UPLOAD {json}`.
import { LOAD_GENERATOR_CORE, pinToCore } from './cpu-pinning';
import { runBench } from './run-bench';
import { formatUploadFingerprinting, measureUploadFingerprinting } from './upload-fingerprints';

async function main(): Promise<void> {
  const pinned = pinToCore(process.pid, LOAD_GENERATOR_CORE);
  const figures = await measureUploadFingerprinting({ pin: pinned }, log);
  console.log(`\n${formatUploadFingerprinting(figures)}\n`);
  console.log(`BENCH_UPLOAD ${JSON.stringify(figures)}`);
}

function log(line: string): void {
  console.log(`[bench] ${line}`);
}

runBench('bench:upload', 5 * 60_000, main);
