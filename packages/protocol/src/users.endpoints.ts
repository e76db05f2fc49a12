import { Empty } from './auth';
import { UserCreateRequest, UserIdParams, UserListRequest, UserListResponse, UserPasswordRequest, UserResponse, UserUpdateRequest } from './users';
import { endpoint } from './endpoint';
import { ProfileUpdateRequest } from './profile';

export const usersEndpoints = {
  createUser: endpoint({ method: 'POST', path: '/api/v1/users', access: 'admin', summary: 'Create a user', body: UserCreateRequest, response: UserResponse, status: 201 }),
  listUsers: endpoint({ method: 'GET', path: '/api/v1/users', access: 'user', summary: 'The people directory', query: UserListRequest, response: UserListResponse, status: 200 }),
  getUser: endpoint({ method: 'GET', path: '/api/v1/users/:userId', access: 'user', summary: 'One user', params: UserIdParams, response: UserResponse, status: 200 }),
  updateUser: endpoint({ method: 'PATCH', path: '/api/v1/users/:userId', access: 'admin', summary: "Change a user's display name or role", params: UserIdParams, body: UserUpdateRequest, response: UserResponse, status: 200 }),
  resetPassword: endpoint({ method: 'POST', path: '/api/v1/users/:userId/password', access: 'admin', summary: "Set a user's password and end all their sessions", params: UserIdParams, body: UserPasswordRequest, response: Empty, status: 200 }),
  updateMyProfile: endpoint({ method: 'PATCH', path: '/api/v1/me/profile', access: 'user', summary: 'Change my display name, avatar, language or time zone', body: ProfileUpdateRequest, response: UserResponse, status: 200 }),
  disableUser: endpoint({ method: 'POST', path: '/api/v1/users/:userId/disable', access: 'admin', summary: 'Disable an account: its sessions and streams end and it cannot sign in', params: UserIdParams, response: UserResponse, status: 200 }),
  enableUser: endpoint({ method: 'POST', path: '/api/v1/users/:userId/enable', access: 'admin', summary: 'Enable a disabled account again', params: UserIdParams, response: UserResponse, status: 200 }),
} as const;
