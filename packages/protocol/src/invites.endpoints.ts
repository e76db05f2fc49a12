import { z } from 'zod';
import { Bytes } from './common';
import { endpoint } from './endpoint';
import {
  InviteAcceptRequest,
  InviteAcceptResponse,
  InviteCodeParams,
  InviteCreateRequest,
  InviteCreateResponse,
  InviteIdParams,
  InviteListRequest,
  InviteListResponse,
  InvitePreviewResponse,
  InviteRequestIdParams,
  InviteRequestListRequest,
  InviteRequestListResponse,
  InviteRequestResponse,
  InviteResponse,
} from './invites';

/** Invites into the organisation or a room: a link and a QR code that a phone camera opens. */
export const invitesEndpoints = {
  createInvite: endpoint({ method: 'POST', path: '/api/v1/invites', access: 'user', summary: 'Invite into the organisation (admins) or a room (its owners): the link and code are shown only in this answer', body: InviteCreateRequest, response: InviteCreateResponse, status: 201 }),
  listInvites: endpoint({ method: 'GET', path: '/api/v1/invites', access: 'user', summary: 'Invites: all of them for admins, those into rooms I own for others', query: InviteListRequest, response: InviteListResponse, status: 200 }),
  revokeInvite: endpoint({ method: 'DELETE', path: '/api/v1/invites/:inviteId', access: 'user', summary: 'Revoke an invite so its code stops working', params: InviteIdParams, response: InviteResponse, status: 200 }),
  getInvite: endpoint({ method: 'GET', path: '/api/v1/invites/:code', access: 'public', summary: 'What an invite code is for, for the landing page', params: InviteCodeParams, response: InvitePreviewResponse, status: 200 }),
  inviteQrSvg: endpoint({ method: 'GET', path: '/api/v1/invites/:code/qr.svg', access: 'public', summary: "The invite link as a QR code (SVG)", params: InviteCodeParams, response: z.string(), status: 200, produces: 'image/svg+xml' }),
  inviteQrPng: endpoint({ method: 'GET', path: '/api/v1/invites/:code/qr.png', access: 'public', summary: 'The invite link as a QR code (PNG)', params: InviteCodeParams, response: Bytes, status: 200, produces: 'image/png' }),
  acceptInvite: endpoint({ method: 'POST', path: '/api/v1/invites/:code/accept', access: 'optional', summary: 'Follow an invite: create the account (organisation) or join the room (signed in); may wait for approval', params: InviteCodeParams, body: InviteAcceptRequest, response: InviteAcceptResponse, status: 200 }),
  listInviteRequests: endpoint({ method: 'GET', path: '/api/v1/admin/invite-requests', access: 'admin', summary: 'Acceptances waiting for approval (or decided ones)', query: InviteRequestListRequest, response: InviteRequestListResponse, status: 200 }),
  approveInviteRequest: endpoint({ method: 'POST', path: '/api/v1/admin/invite-requests/:requestId/approve', access: 'admin', summary: 'Approve: create the account or add the person to the room', params: InviteRequestIdParams, response: InviteRequestResponse, status: 200 }),
  rejectInviteRequest: endpoint({ method: 'POST', path: '/api/v1/admin/invite-requests/:requestId/reject', access: 'admin', summary: 'Reject an acceptance waiting for approval', params: InviteRequestIdParams, response: InviteRequestResponse, status: 200 }),
} as const;
