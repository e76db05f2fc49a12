import { Empty } from './auth';
import { EmailNotificationsStatusResponse, EmailTestResponse, MyEmailNotificationsResponse, MyEmailNotificationsUpdateRequest, UserEmailAddressRequest, UserEmailAddressResponse } from './email-notifications';
import { endpoint } from './endpoint';
import { UserIdParams } from './users';

export const emailNotificationsEndpoints = {
  getMyEmailNotifications: endpoint({ method: 'GET', path: '/api/v1/me/email-notifications', access: 'user', summary: 'Whether I get e-mail digests of missed mentions and direct messages, and where', response: MyEmailNotificationsResponse, status: 200 }),
  updateMyEmailNotifications: endpoint({ method: 'PUT', path: '/api/v1/me/email-notifications', access: 'user', summary: 'Switch my e-mail digests on or off', body: MyEmailNotificationsUpdateRequest, response: MyEmailNotificationsResponse, status: 200 }),
  getUserEmailAddress: endpoint({ method: 'GET', path: '/api/v1/admin/users/:userId/email-address', access: 'admin', summary: 'The address a person’s e-mail digests go to', params: UserIdParams, response: UserEmailAddressResponse, status: 200 }),
  setUserEmailAddress: endpoint({ method: 'PUT', path: '/api/v1/admin/users/:userId/email-address', access: 'admin', summary: 'Set or clear the address a person’s e-mail digests go to', params: UserIdParams, body: UserEmailAddressRequest, response: UserEmailAddressResponse, status: 200 }),
  getEmailNotificationsStatus: endpoint({ method: 'GET', path: '/api/v1/admin/email-notifications', access: 'admin', summary: 'The SMTP server e-mail digests go through (never its password)', response: EmailNotificationsStatusResponse, status: 200 }),
  sendTestEmail: endpoint({ method: 'POST', path: '/api/v1/admin/email-notifications/test', access: 'admin', summary: 'Send a test e-mail to my own address through the configured SMTP server', body: Empty, response: EmailTestResponse, status: 200 }),
} as const;
