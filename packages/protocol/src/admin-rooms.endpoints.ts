import { AdminRoomListResponse, AdminRoomSearchRequest, BulkDeleteResponse, BulkFreezeRequest, BulkFreezeResponse, BulkRoomsRequest, OfficerRoomListResponse, OfficerRoomSearchRequest, RoomIdParams, RoomMarkingRequest, RoomResponse } from './rooms';
import { endpoint } from './endpoint';

/** The admin console's view of rooms: metadata only (an admin does not read conversations here). */
export const adminRoomsEndpoints = {
  adminListRooms: endpoint({ method: 'GET', path: '/api/v1/admin/rooms', access: 'admin', summary: 'Find rooms by name, department or idleness', query: AdminRoomSearchRequest, response: AdminRoomListResponse, status: 200 }),
  bulkFreezeRooms: endpoint({ method: 'POST', path: '/api/v1/admin/rooms/freeze', access: 'admin', summary: 'Freeze many rooms at once', body: BulkFreezeRequest, response: BulkFreezeResponse, status: 200 }),
  bulkDeleteRooms: endpoint({ method: 'POST', path: '/api/v1/admin/rooms/delete', access: 'admin', summary: 'Irreversibly delete many frozen rooms at once, one certificate each', body: BulkRoomsRequest, response: BulkDeleteResponse, status: 200 }),
  /**
   * The compliance officer's room picker (holds, records search, exports): names and metadata, no content. Not
   * audited, like the admin's list: it shows what rooms exist, which the officer's audited searches then read.
   */
  officerListRooms: endpoint({ method: 'GET', path: '/api/v1/compliance/rooms', access: 'compliance', summary: 'Find rooms by name for holds, records search and exports (metadata only)', query: OfficerRoomSearchRequest, response: OfficerRoomListResponse, status: 200 }),
  setRoomMarking: endpoint({ method: 'PUT', path: '/api/v1/admin/rooms/:roomId/marking', access: 'admin', summary: "Set where watermarks apply in a room: by label, always or never", params: RoomIdParams, body: RoomMarkingRequest, response: RoomResponse, status: 200 }),
} as const;
