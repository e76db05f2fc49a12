import { randomInt } from 'node:crypto';
import { TRACE_CODE_ALPHABET, TRACE_CODE_RANDOM_SYMBOLS, traceCodeFrom } from '@enclave/protocol';

/** A new trace code: random symbols from the operating system's generator, so codes cannot be guessed from others. */
export function randomTraceCode(): string {
  let body = '';
  for (let i = 0; i < TRACE_CODE_RANDOM_SYMBOLS; i += 1) body += TRACE_CODE_ALPHABET[randomInt(TRACE_CODE_ALPHABET.length)];
  return traceCodeFrom(body);
}
