import type { RecordDetail, RecordSummary } from '@enclave/protocol';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, describeError } from '../app/api';
import { useMe } from '../session/session-context';
import { FormError } from '../ui/form-error';
import { RecordDetailView } from './records-search-detail';
import { RecordsSearchFormFields } from './records-search-form';
import { emptyRecordsSearch, toRecordsQuery, type RecordsSearchForm } from './records-search-query';
import { RecordsSearchResult } from './records-search-result';
import { useRecordsSearch } from './use-records-search';

/** The officer's "Search records" tab: the query form, the records found, and the one opened in full. */
export function RecordsSearch() {
  const { t } = useTranslation();
  const me = useMe();
  const [form, setForm] = useState<RecordsSearchForm>(emptyRecordsSearch);
  const results = useRecordsSearch();
  const [opened, setOpened] = useState<RecordDetail | undefined>();
  const [openError, setOpenError] = useState<string | undefined>();
  const headingId = useId();
  const resultsId = useId();

  async function open(record: RecordSummary) {
    try {
      setOpened((await api.endpoint('openRecord')({ params: { recordId: record.recordId } })).record);
      setOpenError(undefined);
    } catch (failure) {
      setOpenError(describeError(failure));
    }
  }

  return (
    <section className="card card--wide" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('compliance.records.title')}</h2>
      <p className="muted">{t('compliance.records.explained')}</p>
      <RecordsSearchFormFields
        form={form}
        busy={results.busy}
        onChange={(change) => setForm((current) => ({ ...current, ...change }))}
        onSearch={() => results.search(toRecordsQuery(form, me.timeZone ?? undefined))}
      />
      <FormError message={results.error ?? openError} />
      {opened && <RecordDetailView record={opened} onClose={() => setOpened(undefined)} />}
      {results.records?.length === 0 && <p className="muted">{t('compliance.records.noResults')}</p>}
      {results.records && results.records.length > 0 && (
        <ol className="held-list" id={resultsId} aria-label={t('compliance.records.results')}>
          {results.records.map((record) => (
            <li key={`${record.recordId}/${record.kind}/${record.version ?? ''}`}>
              <RecordsSearchResult record={record} onOpen={(chosen) => void open(chosen)} onOnlyRoom={(roomId, name) => setForm((current) => ({ ...current, rooms: new Map([...current.rooms, [roomId, name]]) }))} />
            </li>
          ))}
        </ol>
      )}
      {results.hasMore && (
        <button type="button" className="button" onClick={results.loadMore}>
          {t('console.loadMore')}
        </button>
      )}
    </section>
  );
}
