import { useTranslation } from 'react-i18next';
import { InvitesSection } from '../invites/invites-section';
import { ConsolePage } from '../layout/console-page';
import { AfterHoursReportSection } from './after-hours-report-section';
import { ApprovalsSection } from './approvals-section';
import { DepartmentsSection } from './departments-section';
import { DlpSection } from './dlp-section';
import { LabelsSection } from './labels-section';
import { RoomsSection } from './rooms-section';
import { SettingsSection } from './settings-section';
import { UsersSection } from './users-section';
import { WorkHoursSection } from './work-hours-section';

/** The admin console: people, departments, rooms, labels, data protection, approvals, work hours and organisation-wide settings. */
export function AdminPage() {
  const { t } = useTranslation();
  return (
    <ConsolePage
      role="admin"
      title={t('admin.title')}
      subtitle={t('admin.subtitle')}
      forbidden={t('admin.onlyAdmins')}
      sections={[
        { id: 'users', label: t('console.usersTab'), content: () => <UsersSection /> },
        { id: 'departments', label: t('console.departmentsTab'), content: () => <DepartmentsSection /> },
        { id: 'rooms', label: t('adminRooms.tab'), content: () => <RoomsSection /> },
        { id: 'labels', label: t('labels.tab'), content: () => <LabelsSection /> },
        { id: 'dlp', label: t('dlp.tab'), content: () => <DlpSection /> },
        { id: 'invites', label: t('invites.tab'), content: () => <InvitesSection /> },
        { id: 'approvals', label: t('approvals.tab'), content: () => <ApprovalsSection /> },
        { id: 'work-hours', label: t('workHoursAdmin.tab'), content: () => <WorkHoursSection /> },
        { id: 'after-hours', label: t('afterHours.tab'), content: () => <AfterHoursReportSection /> },
        { id: 'settings', label: t('console.settingsTab'), content: () => <SettingsSection /> },
      ]}
    />
  );
}
