import { AdminSettingsResponse, AdminSettingsUpdateRequest } from './admin-settings';
import { endpoint } from './endpoint';

export const adminSettingsEndpoints = {
  getAdminSettings: endpoint({ method: 'GET', path: '/api/v1/admin/settings', access: 'admin', summary: 'Organisation-wide settings', response: AdminSettingsResponse, status: 200 }),
  updateAdminSettings: endpoint({ method: 'PUT', path: '/api/v1/admin/settings', access: 'admin', summary: 'Change organisation-wide settings', body: AdminSettingsUpdateRequest, response: AdminSettingsResponse, status: 200 }),
} as const;
