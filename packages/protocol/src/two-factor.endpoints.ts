import { Empty } from './auth';
import { endpoint } from './endpoint';
import { TwoFactorCodeRequest, TwoFactorConfirmResponse, TwoFactorEnrolResponse } from './two-factor';
import { UserIdParams } from './users';

export const twoFactorEndpoints = {
  enrolTwoFactor: endpoint({ method: 'POST', path: '/api/v1/me/2fa/enrol', access: 'user', summary: 'Start two-factor enrolment: a new secret and its QR code', response: TwoFactorEnrolResponse, status: 200 }),
  confirmTwoFactor: endpoint({ method: 'POST', path: '/api/v1/me/2fa/confirm', access: 'user', summary: 'Turn two-factor sign-in on with a first code; answers the recovery codes once', body: TwoFactorCodeRequest, response: TwoFactorConfirmResponse, status: 200 }),
  disableTwoFactor: endpoint({ method: 'POST', path: '/api/v1/me/2fa/disable', access: 'user', summary: 'Turn two-factor sign-in off with a current code', body: TwoFactorCodeRequest, response: Empty, status: 200 }),
  resetTwoFactor: endpoint({ method: 'DELETE', path: '/api/v1/users/:userId/2fa', access: 'admin', summary: "Turn off a user's two-factor sign-in (lost phone and recovery codes)", params: UserIdParams, response: Empty, status: 200 }),
} as const;
