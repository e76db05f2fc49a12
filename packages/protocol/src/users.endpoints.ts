import { Empty } from './auth';
import { UserCreateRequest, UserIdParams, UserListRequest, UserListResponse, UserPasswordRequest, UserResponse, UserUpdateRequest } from './users';
import { endpoint } from './endpoint';

export const usersEndpoints = {
  createUser: endpoint({ method: 'POST', path: '/api/v1/users', access: 'admin', summary: 'Create a user', body: UserCreateRequest, response: UserResponse, status: 201 }),
  listUsers: endpoint({ method: 'GET', path: '/api/v1/users', access: 'user', summary: 'The people directory', query: UserListRequest, response: UserListResponse, status: 200 }),
  getUser: endpoint({ method: 'GET', path: '/api/v1/users/:userId', access: 'user', summary: 'One user', params: UserIdParams, response: UserResponse, status: 200 }),
  updateUser: endpoint({ method: 'PATCH', path: '/api/v1/users/:userId', access: 'admin', summary: "Change a user's display name or role", params: UserIdParams, body: UserUpdateRequest, response: UserResponse, status: 200 }),
  resetPassword: endpoint({ method: 'POST', path: '/api/v1/users/:userId/password', access: 'admin', summary: "Set a user's password and end all their sessions", params: UserIdParams, body: UserPasswordRequest, response: Empty, status: 200 }),
} as const;
