import { endpoint } from './endpoint';
import {
  AfterHoursReportRequest,
  AfterHoursReportResponse,
  HolidayAddRequest,
  HolidayAddResponse,
  HolidayDateParams,
  HolidayListRequest,
  HolidayListResponse,
  MyWorkHoursResponse,
  OffWorkSummaryResponse,
  PersonalScheduleRequest,
  RoomAvailabilityParams,
  RoomAvailabilityResponse,
  WorkHoursPolicyRequest,
  WorkHoursPolicyResponse,
} from './work-hours';

/** Work hours: the admin's schedules and holiday calendar, one's own schedule, and who in a room is at work. */
export const workHoursEndpoints = {
  getWorkHoursPolicy: endpoint({ method: 'GET', path: '/api/v1/admin/work-hours', access: 'admin', summary: "The organisation's and departments' working hours", response: WorkHoursPolicyResponse, status: 200 }),
  setWorkHoursPolicy: endpoint({ method: 'PATCH', path: '/api/v1/admin/work-hours', access: 'admin', summary: "Set the organisation's hours and time zone, whether people may set their own, or a department's own hours", body: WorkHoursPolicyRequest, response: WorkHoursPolicyResponse, status: 200 }),
  listHolidays: endpoint({ method: 'GET', path: '/api/v1/admin/holidays', access: 'admin', summary: 'The holiday calendar: holidays and adjusted working days, by date', query: HolidayListRequest, response: HolidayListResponse, status: 200 }),
  addHolidays: endpoint({ method: 'POST', path: '/api/v1/admin/holidays', access: 'admin', summary: 'Put days on the holiday calendar: listed, imported from ICS or CSV, or the shipped PRC calendar', body: HolidayAddRequest, response: HolidayAddResponse, status: 200 }),
  removeHoliday: endpoint({ method: 'DELETE', path: '/api/v1/admin/holidays/:date', access: 'admin', summary: 'Take a day off the calendar: it follows the weekly hours again', params: HolidayDateParams, response: HolidayListResponse, status: 200 }),
  getMyWorkHours: endpoint({ method: 'GET', path: '/api/v1/me/work-hours', access: 'user', summary: 'My schedule, the hours that apply to me and whether I am at work now', response: MyWorkHoursResponse, status: 200 }),
  setMyWorkHours: endpoint({ method: 'PATCH', path: '/api/v1/me/work-hours', access: 'user', summary: 'Set my own hours (when the policy allows), leave and do-not-disturb', body: PersonalScheduleRequest, response: MyWorkHoursResponse, status: 200 }),
  claimOffWorkSummary: endpoint({ method: 'POST', path: '/api/v1/me/work-hours/summary', access: 'user', summary: 'The "while you were off" summary of mentions, once per working period (null for later calls and while off)', response: OffWorkSummaryResponse, status: 200 }),
  getRoomAvailability: endpoint({ method: 'GET', path: '/api/v1/rooms/:roomId/availability', access: 'user', summary: 'Whether the other members of a DM or small group are at work, and until when', params: RoomAvailabilityParams, response: RoomAvailabilityResponse, status: 200 }),
  getAfterHoursReport: endpoint({ method: 'GET', path: '/api/v1/admin/reports/after-hours', access: 'admin', summary: 'Messages sent off work per department and week: counts only, never content or people', query: AfterHoursReportRequest, response: AfterHoursReportResponse, status: 200 }),
} as const;
