import { AppError } from '../http/app-error';
import type { SettingsService } from '../settings/settings.service';
import { checkPasswordStrength, type PasswordProblem } from './password-strength';

/** The organisation's password policy: the strength check with the minimum length an administrator chose. */
export class PasswordPolicy {
  constructor(private readonly settings: SettingsService) {}

  /** Refuses a password the policy does not accept with PASSWORD_TOO_WEAK, naming the reason. */
  async require(password: string, userInputs: string[]): Promise<void> {
    const problem = await this.problemWith(password, userInputs);
    if (problem) throw new AppError('PASSWORD_TOO_WEAK', problem);
  }

  async problemWith(password: string, userInputs: string[]): Promise<PasswordProblem | undefined> {
    return checkPasswordStrength(password, await this.minLength(), userInputs);
  }

  async minLength(): Promise<number> {
    return (await this.settings.getSettings()).passwordMinLength;
  }
}
