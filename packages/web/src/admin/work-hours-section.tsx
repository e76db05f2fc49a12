import type { WorkHoursPolicy } from '@enclave/protocol';
import { useEffect, useState } from 'react';
import { api, describeError } from '../app/api';
import { FormError } from '../ui/form-error';
import { DepartmentHoursCard } from './department-hours-card';
import { HolidayCalendarCard } from './holiday-calendar-card';
import { OrganisationHoursForm } from './organisation-hours-form';
import type { ChangeWorkHours } from './work-hours-changes';

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

  // Every card gets the whole policy back from a change, so all of them show what the server kept.
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
