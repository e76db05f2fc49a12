import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMe } from '../session/session-context';
import { DepartmentsSection } from './departments-section';
import { DlpSection } from './dlp-section';
import { InvitesSection } from '../invites/invites-section';
import { LabelsSection } from './labels-section';
import { RoomsSection } from './rooms-section';
import { SettingsSection } from './settings-section';
import { UsersSection } from './users-section';

type Section = 'users' | 'departments' | 'rooms' | 'labels' | 'dlp' | 'invites' | 'settings';

/** The admin console: people, departments, rooms, labels, data protection and organisation-wide settings. */
export function AdminPage() {
  const { t } = useTranslation();
  const me = useMe();
  const [section, setSection] = useState<Section>('users');
  if (me.role !== 'admin') {
    return (
      <div className="empty-state">
        <h1>{t('admin.title')}</h1>
        <p className="muted">{t('admin.onlyAdmins')}</p>
      </div>
    );
  }
  const sections: [Section, string][] = [
    ['users', t('console.usersTab')],
    ['departments', t('console.departmentsTab')],
    ['rooms', t('adminRooms.tab')],
    ['labels', t('labels.tab')],
    ['dlp', t('dlp.tab')],
    ['invites', t('invites.tab')],
    ['settings', t('console.settingsTab')],
  ];
  return (
    <div className="admin">
      <header className="admin__header">
        <h1>{t('admin.title')}</h1>
        <p className="muted">{t('admin.subtitle')}</p>
      </header>
      <div className="tabs" role="tablist">
        {sections.map(([id, label]) => (
          <button key={id} type="button" role="tab" aria-selected={section === id} className="tabs__tab" onClick={() => setSection(id)}>
            {label}
          </button>
        ))}
      </div>
      {section === 'users' && <UsersSection />}
      {section === 'departments' && <DepartmentsSection />}
      {section === 'rooms' && <RoomsSection />}
      {section === 'labels' && <LabelsSection />}
      {section === 'dlp' && <DlpSection />}
      {section === 'invites' && <InvitesSection />}
      {section === 'settings' && <SettingsSection />}
    </div>
  );
}
