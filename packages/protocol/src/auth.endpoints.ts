import { Empty, LoginRequest, LoginResponse, LoginTwoFactorRequest, MeResponse, PasswordChangeRequest, RevokeOtherSessionsResponse, SessionIdParams, SessionListResponse } from './auth';
import { endpoint } from './endpoint';

export const authEndpoints = {
  login: endpoint({ method: 'POST', path: '/api/v1/auth/login', access: 'public', summary: 'Sign in with username and password', body: LoginRequest, response: LoginResponse, status: 200 }),
  logout: endpoint({ method: 'POST', path: '/api/v1/auth/logout', access: 'user', summary: 'End the current session', response: Empty, status: 200 }),
  me: endpoint({ method: 'GET', path: '/api/v1/auth/me', access: 'user', summary: 'The signed-in user', response: MeResponse, status: 200 }),
  listSessions: endpoint({ method: 'GET', path: '/api/v1/auth/sessions', access: 'user', summary: 'My signed-in devices', response: SessionListResponse, status: 200 }),
  revokeSession: endpoint({ method: 'DELETE', path: '/api/v1/auth/sessions/:sessionId', access: 'user', summary: 'Sign out one of my devices', params: SessionIdParams, response: Empty, status: 200 }),
  loginTwoFactor: endpoint({ method: 'POST', path: '/api/v1/auth/login/2fa', access: 'public', summary: 'Second sign-in step: the TOTP_REQUIRED challenge with a code or a recovery code', body: LoginTwoFactorRequest, response: LoginResponse, status: 200 }),
  revokeOtherSessions: endpoint({ method: 'POST', path: '/api/v1/auth/sessions/revoke-others', access: 'user', summary: 'Sign out all my other devices', response: RevokeOtherSessionsResponse, status: 200 }),
  changeMyPassword: endpoint({ method: 'POST', path: '/api/v1/auth/password', access: 'user', summary: 'Change my password (PASSWORD_TOO_WEAK names what the policy refused): my other sessions end, this one stays', body: PasswordChangeRequest, response: Empty, status: 200 }),
} as const;
