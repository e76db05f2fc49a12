import type { Department } from '@enclave/protocol';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { flattenTree } from './use-departments';
import type { RoomFilter } from './use-admin-rooms';

/** Name, department and idleness: the ways an admin narrows the rooms down before acting on them together. */
export function RoomFilters({ filter, departments, onChange }: { filter: RoomFilter; departments: Department[]; onChange: (filter: RoomFilter) => void }) {
  const { t } = useTranslation();
  const departmentHelpId = useId();
  return (
    <fieldset className="room-filters">
      <legend>{t('adminRooms.filters')}</legend>
      <label className="field">
        <span>{t('adminRooms.nameContains')}</span>
        <input type="search" value={filter.nameContains} maxLength={80} onChange={(e) => onChange({ ...filter, nameContains: e.target.value })} />
      </label>
      <label className="field">
        <span>{t('adminRooms.department')}</span>
        <select value={filter.departmentId} aria-describedby={departmentHelpId} onChange={(e) => onChange({ ...filter, departmentId: e.target.value })}>
          <option value="">{t('adminRooms.anyDepartment')}</option>
          {flattenTree(departments).map(({ department, depth }) => (
            <option key={department.id} value={department.id}>
              {`${'\u00a0\u00a0'.repeat(depth)}${department.name}`}
            </option>
          ))}
        </select>
        <small id={departmentHelpId}>{t('adminRooms.departmentHelp')}</small>
      </label>
      <label className="field">
        <span>{t('adminRooms.idleDays')}</span>
        <input
          type="number"
          min={0}
          max={3650}
          inputMode="numeric"
          value={filter.idleDays || ''}
          onChange={(e) => onChange({ ...filter, idleDays: clampDays(e.target.valueAsNumber) })}
        />
      </label>
    </fieldset>
  );
}

function clampDays(value: number): number {
  return Number.isFinite(value) ? Math.min(3650, Math.max(0, Math.floor(value))) : 0;
}
