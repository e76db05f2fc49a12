import { Password, Role, Username } from '@enclave/protocol';
import { generatePassword, type Services } from '@enclave/server';
import type { Command } from './commands';
import { withServices } from './offline';

const cli = { userId: null, ip: null } as const;

export const createUserCommand: Command = {
  name: 'admin create-user',
  summary: 'Create a user directly in the database (works with the server running or stopped). Prints a generated password unless --password is given.',
  options: {
    username: { type: 'string', description: 'login name (lower-case letters, digits, . _ -)' },
    'display-name': { type: 'string', description: 'name shown to others (default: the username)' },
    password: { type: 'string', description: 'initial password; it must pass the password policy (default: generated)' },
    role: { type: 'string', description: 'admin or member (default: member)' },
    clearance: { type: 'string', description: 'classification clearance, a label id such as confidential (default: internal)' },
  },
  async run(values, out) {
    const username = Username.safeParse(values.username);
    if (!username.success) return out.fail('VALIDATION_FAILED', '--username is required: lower-case letters, digits, dot, dash and underscore');
    const role = Role.safeParse(values.role ?? 'member');
    if (!role.success) return out.fail('VALIDATION_FAILED', '--role must be admin or member');
    if (values.password !== undefined && !Password.safeParse(values.password).success) return out.fail('VALIDATION_FAILED', '--password must be 1 to 256 characters');
    const displayName = typeof values['display-name'] === 'string' ? values['display-name'] : username.data;
    const clearance = typeof values.clearance === 'string' ? values.clearance : undefined;
    const { user, password } = await withServices(async (services) => {
      const password = typeof values.password === 'string' ? values.password : await generatedPassword(services);
      return { user: await services.users.createUser(cli, { username: username.data, password, displayName, role: role.data, clearance }), password };
    });
    const shownPassword = values.password === undefined ? password : undefined;
    out.result({ user, ...(shownPassword ? { password: shownPassword } : {}) }, [
      `Created ${user.role} ${user.username} (${user.id}).`,
      ...(shownPassword ? [`Password: ${shownPassword}`] : []),
    ]);
    return 0;
  },
};

export const resetPasswordCommand: Command = {
  name: 'admin reset-password',
  summary: "Set a user's password and sign them out everywhere. Prints a generated password unless --password is given.",
  options: {
    username: { type: 'string', description: 'whose password to reset' },
    password: { type: 'string', description: 'the new password; it must pass the password policy, and its owner must change it at the next sign-in (default: generated)' },
  },
  async run(values, out) {
    if (typeof values.username !== 'string') return out.fail('VALIDATION_FAILED', '--username is required');
    if (values.password !== undefined && !Password.safeParse(values.password).success) return out.fail('VALIDATION_FAILED', '--password must be 1 to 256 characters');
    const username = values.username;
    const { user, password } = await withServices(async (services) => {
      const found = await services.users.findByUsername(username);
      const password = typeof values.password === 'string' ? values.password : await generatedPassword(services);
      await services.users.resetPassword(cli, found.id, password);
      return { user: found, password };
    });
    const shownPassword = values.password === undefined ? password : undefined;
    out.result({ user, ...(shownPassword ? { password: shownPassword } : {}) }, [
      `Password of ${user.username} reset; all their sessions were ended, and they must choose a new password at their next sign-in.`,
      ...(shownPassword ? [`Password: ${shownPassword}`] : []),
    ]);
    return 0;
  },
};

/** A generated password long enough for the organisation's minimum, whatever an administrator raised it to. */
async function generatedPassword(services: Services): Promise<string> {
  return generatePassword(Math.max(24, (await services.settings.getSettings()).passwordMinLength));
}
