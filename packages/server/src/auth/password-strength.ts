import { DEFAULT_PASSWORD_MIN_LENGTH, type PasswordWeakness } from '@enclave/protocol';
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary } from '@zxcvbn-ts/language-common';

/** What is wrong with a password, as PASSWORD_TOO_WEAK's data carries it. */
export type PasswordProblem = { reason: PasswordWeakness; minimum?: number };

/**
 * zxcvbn's score runs from 0 to 4; 3 means about 10^8 guesses or more, which no online guesser reaches through the
 * sign-in throttle, and which a stolen hash (scrypt) would still make slow. Below it lie repeats (`aaaaaaaaaaaa`),
 * sequences (`abcdefghijkl`), keyboard walks and dictionary words with a year.
 */
const MIN_SCORE = 3;

/** zxcvbn's matching grows with the length; beyond this a password's strength is settled by its first characters. */
const ESTIMATED_PREFIX = 64;

/** C0 and C1 controls, DEL, and the invisible format characters (zero-width joiners, direction marks). */
const controlCharacter = /[\p{Cc}\p{Cf}]/u;

let estimator: ZxcvbnFactory | undefined;

/**
 * The one password check: every way a password is set (sign-up, change, administrator reset, the CLI, the first
 * admin's configured password) and every sign-in (to find stored passwords the policy no longer accepts) ask it.
 * `userInputs` are words the person's own details give away (the username), counted as guessable.
 */
export function checkPasswordStrength(password: string, minLength = DEFAULT_PASSWORD_MIN_LENGTH, userInputs: string[] = []): PasswordProblem | undefined {
  // A control character is never typed on purpose; it is a sign of a script or an attack, and it hides in a form.
  if (controlCharacter.test(password)) return { reason: 'control_characters' };
  if (password.trim() === '') return { reason: 'whitespace' };
  // Counted in code points, as a person counts them, after the same normalisation the hash applies.
  if ([...password.normalize('NFKC')].length < minLength) return { reason: 'too_short', minimum: minLength };
  if (isCommon(password)) return { reason: 'common' };
  estimator ??= new ZxcvbnFactory({ dictionary, graphs: adjacencyGraphs });
  const result = estimator.check(password.slice(0, ESTIMATED_PREFIX), userInputs);
  if (result.score < MIN_SCORE) return { reason: 'predictable' };
  return undefined;
}

/** The refusal as one English sentence, for the places without a translated message: start-up and the CLI. */
export function describeProblem(problem: PasswordProblem): string {
  switch (problem.reason) {
    case 'too_short':
      return `must be at least ${problem.minimum} characters`;
    case 'whitespace':
      return 'must not be only spaces';
    case 'control_characters':
      return 'must not contain control characters';
    case 'common':
      return 'is one of the most common passwords';
    case 'predictable':
      return 'is too easy to guess (a repeat, a sequence, a keyboard pattern or a common word)';
    case 'same_as_current':
      return 'must differ from the current password';
  }
}

const commonPasswords = new Set(dictionary['passwords-common']);

/** In the shipped list of the most used passwords, ignoring case and the spaces people pad with. */
function isCommon(password: string): boolean {
  return commonPasswords.has(password.trim().toLowerCase());
}
