import { Empty } from './auth';
import { DepartmentCreateRequest, DepartmentIdParams, DepartmentListResponse, DepartmentResponse, DepartmentUpdateRequest } from './departments';
import { endpoint } from './endpoint';
import { UserDepartmentsRequest, UserIdParams, UserResponse } from './users';

export const departmentsEndpoints = {
  listDepartments: endpoint({ method: 'GET', path: '/api/v1/departments', access: 'user', summary: 'The department tree as a flat list', response: DepartmentListResponse, status: 200 }),
  createDepartment: endpoint({ method: 'POST', path: '/api/v1/departments', access: 'admin', summary: 'Create a department', body: DepartmentCreateRequest, response: DepartmentResponse, status: 201 }),
  updateDepartment: endpoint({ method: 'PATCH', path: '/api/v1/departments/:departmentId', access: 'admin', summary: 'Rename or move a department', params: DepartmentIdParams, body: DepartmentUpdateRequest, response: DepartmentResponse, status: 200 }),
  deleteDepartment: endpoint({ method: 'DELETE', path: '/api/v1/departments/:departmentId', access: 'admin', summary: 'Delete an empty department', params: DepartmentIdParams, response: Empty, status: 200 }),
  setUserDepartments: endpoint({ method: 'PUT', path: '/api/v1/users/:userId/departments', access: 'admin', summary: 'Set the departments a user belongs to', params: UserIdParams, body: UserDepartmentsRequest, response: UserResponse, status: 200 }),
} as const;
