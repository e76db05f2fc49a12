import { randomBytes } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import QRCode from 'qrcode';
import { recordAudit } from '../audit/audit.service';
import type { SecretBox } from '../crypto/secret-box';
import type { Database } from '../db/schema';
import { AppError } from '../http/app-error';
import type { Actor } from './actor';
import { hashToken } from './token-hash';
import type { LoginThrottle } from './login-throttle';
import { generateRecoveryCodes, hashRecoveryCode } from './recovery-codes';
import { generateTotpSecret, matchingStep, otpauthUri } from './totp';
import {
  claimTimeStep,
  consumeLoginChallenge,
  countChallengeAttempt,
  findLoginChallenge,
  findTotpState,
  insertLoginChallenge,
  replaceRecoveryCodes,
  setTotp,
  useRecoveryCode,
} from './two-factor.repository';

const ISSUER = 'Enclave';
/** Long enough to open the authenticator app; short enough that a leaked challenge is soon worthless. */
const CHALLENGE_TTL_MS = 5 * 60_000;
/** Wrong codes one challenge tolerates before the password has to be entered again. */
const CHALLENGE_MAX_ATTEMPTS = 5;

export interface TwoFactorDeps {
  db: Kysely<Database>;
  box: SecretBox;
  throttle: LoginThrottle;
}

export type SecondFactor = { code: string; recoveryCode?: undefined } | { code?: undefined; recoveryCode: string };

/** TOTP enrolment, confirmation, removal and checking; the secret is sealed with the server's key, never stored in clear. */
export class TwoFactorService {
  constructor(private readonly deps: TwoFactorDeps) {}

  async isEnabled(userId: string): Promise<boolean> {
    return (await findTotpState(this.deps.db, userId))?.enabledAt != null;
  }

  /** A fresh secret, pending until confirmed; enrolling again replaces a pending one. */
  async enrol(actor: Actor): Promise<{ secret: string; uri: string; qrSvg: string }> {
    const state = await this.requireState(actor.userId);
    if (state.enabledAt !== null) throw new AppError('TOTP_ALREADY_ENABLED');
    const secret = generateTotpSecret();
    await this.deps.db.transaction().execute(async (trx) => {
      await setTotp(trx, actor.userId, { totp_secret: this.deps.box.seal(secret, actor.userId), totp_last_step: null });
      await recordAudit(trx, { actorId: actor.userId, action: 'two_factor.enrolment_started', target: { type: 'user', id: actor.userId }, ip: actor.ip });
    });
    const uri = otpauthUri(secret, state.username, ISSUER);
    const qrSvg = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
    return { secret, uri, qrSvg };
  }

  /** Turns two-factor sign-in on with a first code and answers ten recovery codes, which are kept only hashed. */
  async confirm(actor: Actor, code: string): Promise<string[]> {
    const state = await this.requireState(actor.userId);
    if (state.enabledAt !== null) throw new AppError('TOTP_ALREADY_ENABLED');
    if (state.sealedSecret === null) throw new AppError('TOTP_NOT_ENABLED');
    const recoveryCodes = generateRecoveryCodes();
    await this.withValidCode(actor, state.sealedSecret, code, async (trx) => {
      await setTotp(trx, actor.userId, { totp_enabled_at: Date.now() });
      await replaceRecoveryCodes(trx, actor.userId, recoveryCodes.map(hashRecoveryCode));
      await recordAudit(trx, { actorId: actor.userId, action: 'two_factor.enabled', target: { type: 'user', id: actor.userId }, ip: actor.ip });
    });
    return recoveryCodes;
  }

  async disable(actor: Actor, code: string): Promise<void> {
    const state = await this.requireState(actor.userId);
    if (state.enabledAt === null || state.sealedSecret === null) throw new AppError('TOTP_NOT_ENABLED');
    await this.withValidCode(actor, state.sealedSecret, code, async (trx) => {
      await this.clear(trx, actor.userId);
      await recordAudit(trx, { actorId: actor.userId, action: 'two_factor.disabled', target: { type: 'user', id: actor.userId }, ip: actor.ip });
    });
  }

  /** An administrator turns off someone's two-factor sign-in, for a lost phone with lost recovery codes. */
  async reset(operator: Pick<Actor, 'userId' | 'ip'>, userId: string): Promise<void> {
    const state = await findTotpState(this.deps.db, userId);
    if (!state) throw new AppError('USER_NOT_FOUND');
    if (state.enabledAt === null) throw new AppError('TOTP_NOT_ENABLED');
    await this.deps.db.transaction().execute(async (trx) => {
      await this.clear(trx, userId);
      await recordAudit(trx, { actorId: operator.userId, action: 'two_factor.reset', target: { type: 'user', id: userId }, ip: operator.ip });
    });
  }

  /** The single-use token the client sends back with the code; only its hash is stored. */
  async createChallenge(userId: string): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    const now = Date.now();
    await this.deps.db.transaction().execute((trx) =>
      insertLoginChallenge(trx, { token_hash: hashToken(token), user_id: userId, expires_at: now + CHALLENGE_TTL_MS }, now),
    );
    return token;
  }

  /**
   * Checks the second sign-in step and consumes its challenge; answers the user id. An unknown, expired, used or
   * exhausted challenge is UNAUTHENTICATED (sign in again); a wrong code is TOTP_INVALID and counts against both
   * the challenge and the sign-in throttle, for this account from this address.
   */
  async passChallenge(challenge: string, factor: SecondFactor, ip: string): Promise<string> {
    const tokenHash = hashToken(challenge);
    const found = await findLoginChallenge(this.deps.db, tokenHash, Date.now());
    if (!found || found.attempts >= CHALLENGE_MAX_ATTEMPTS) throw new AppError('UNAUTHENTICATED');
    const state = await this.requireState(found.userId);
    // Counted like a password attempt, per account and address, until a right code takes it back.
    const wait = this.deps.throttle.admit(state.username, ip);
    if (wait > 0) throw new AppError('RATE_LIMITED', { retryAfterSeconds: wait });
    if (state.sealedSecret === null || state.enabledAt === null) throw new AppError('UNAUTHENTICATED');
    const secret = this.deps.box.open(state.sealedSecret, state.id);

    const passed = await this.deps.db.transaction().execute(async (trx) => {
      const now = Date.now();
      const valid =
        factor.code !== undefined
          ? await this.claimCode(trx, state.id, secret, factor.code, now)
          : await useRecoveryCode(trx, state.id, hashRecoveryCode(factor.recoveryCode), now);
      if (!valid) {
        await countChallengeAttempt(trx, tokenHash);
        await recordAudit(trx, { actorId: state.id, action: 'auth.second_factor_failed', target: { type: 'user', id: state.id }, ip });
        return false;
      }
      if (!(await consumeLoginChallenge(trx, tokenHash))) throw new AppError('UNAUTHENTICATED');
      if (factor.recoveryCode !== undefined) {
        await recordAudit(trx, { actorId: state.id, action: 'two_factor.recovery_code_used', target: { type: 'user', id: state.id }, ip });
      }
      return true;
    });
    if (!passed) throw new AppError('TOTP_INVALID');
    return state.id;
  }

  /** Runs `apply` in one transaction with the code's time step claimed; a wrong or replayed code is TOTP_INVALID. */
  private async withValidCode(actor: Actor, sealedSecret: string, code: string, apply: (trx: Transaction<Database>) => Promise<void>): Promise<void> {
    const secret = this.deps.box.open(sealedSecret, actor.userId);
    await this.deps.db.transaction().execute(async (trx) => {
      if (!(await this.claimCode(trx, actor.userId, secret, code, Date.now()))) throw new AppError('TOTP_INVALID');
      await apply(trx);
    });
  }

  private async claimCode(trx: Transaction<Database>, userId: string, secret: string, code: string, now: number): Promise<boolean> {
    const step = matchingStep(secret, code, now);
    return step !== undefined && (await claimTimeStep(trx, userId, step));
  }

  private async clear(trx: Transaction<Database>, userId: string): Promise<void> {
    await setTotp(trx, userId, { totp_secret: null, totp_enabled_at: null, totp_last_step: null });
    await replaceRecoveryCodes(trx, userId, []);
  }

  private async requireState(userId: string) {
    const state = await findTotpState(this.deps.db, userId);
    if (!state) throw new AppError('UNAUTHENTICATED');
    return state;
  }
}
