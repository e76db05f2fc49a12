import type { Schedule, WorkHoursPolicy } from '@enclave/protocol';
import { useEffect, useState } from 'react';
import { api, describeError } from '../app/api';
import { FormError } from '../ui/form-error';
import { DepartmentHoursCard } from './department-hours-card';
import { HolidayCalendarCard } from './holiday-calendar-card';
import { OrganisationHoursForm } from './organisation-hours-form';

/** Changes one part of the policy and gets the whole policy back, so every card shows what the server kept. */
export type ChangeWorkHours = (change: { organisation?: Schedule; personalHoursAllowed?: boolean; department?: { departmentId: string; schedule: Schedule | null } }) => Promise<void>;

/** Work hours: the organisation's schedule, departments with hours of their own, and the holiday calendar. */
export function WorkHoursSection() {
  const [policy, setPolicy] = useState<WorkHoursPolicy | undefined>();
  const [error, setError] = useState<string | undefined>();

  useEffect(() => {
    api.endpoint('getWorkHoursPolicy')().then(
      (answer) => setPolicy(answer.policy),
      (failure: unknown) => setError(describeError(failure)),
    );
  }, []);

  const change: ChangeWorkHours = async (body) => setPolicy((await api.endpoint('setWorkHoursPolicy')({ body })).policy);

  if (!policy) return <FormError message={error} />;
  return (
    <>
      <OrganisationHoursForm policy={policy} change={change} />
      <DepartmentHoursCard policy={policy} change={change} />
      <HolidayCalendarCard />
    </>
  );
}
