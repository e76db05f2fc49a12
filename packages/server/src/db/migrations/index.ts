import type { Migration } from 'kysely';
import * as initial from './2026-11-24T1200-initial';
import * as peopleAndConversations from './2026-11-24T2300-people-and-conversations';
import * as mentionsAll from './2026-11-24T2330-mentions-all';
import * as twoFactorLogin from './2026-11-25T0010-two-factor-login';
import * as labels from './2026-11-25T0100-labels';
import * as recall from './2026-11-25T0130-recall';
import * as protection from './2026-11-25T0300-protection';
import * as invites from './2026-11-25T0600-invites';
import * as search from './2026-11-25T0700-search';
import * as files from './2026-11-25T0800-files';
import * as fileTextComplete from './2026-11-25T1000-file-text-complete';
import * as passwordChangeRequired from './2026-12-06T0800-password-change-required';
import * as provenance from './2026-12-06T2003-provenance';
import * as contentLabels from './2026-12-06T2004-content-labels-and-single-use-confirmations';
import * as hiddenContent from './2026-12-06T2005-hidden-content';
import * as filePageCount from './2026-12-06T2006-file-page-count';
import * as messageSenderGuest from './2026-12-06T2007-message-sender-guest';
import * as dataKeys from './2026-12-06T2100-data-keys';
import * as filesSealed from './2026-12-06T2120-files-sealed';
import * as searchHashedTerms from './2026-12-06T2130-search-hashed-terms';
import * as keyCustody from './2026-12-06T2150-key-custody';
import * as dailyExportRuns from './2026-12-07T0400-daily-export-runs';
import * as recordsIndex from './2026-12-07T0200-records-index';
import * as auditCheckpoints from './2026-12-07T0500-audit-checkpoints';
import * as legalHoldsAndRetention from './2026-12-07T0300-legal-holds-and-retention';
import * as approvals from './2026-12-07T0100-approvals';
import * as roomMemberPeriods from './2026-12-08T0400-room-member-periods';
import * as scheduledAndUrgentMessages from './2026-12-08T2100-scheduled-and-urgent-messages';
import * as leakTracing from './2026-12-08T1000-leak-tracing';
import * as workHours from './2026-12-08T2000-work-hours';
import * as afterHoursCounts from './2026-12-09T0300-after-hours-counts';
import * as emailDigests from './2026-12-09T0400-email-digests';
import * as purgeUnaudited from './2026-12-09T0500-purge-unaudited';

/** Every migration by its timestamped name; Kysely applies them in name order. */
export const migrations: Record<string, Migration> = {
  '2026-11-24T1200-initial': initial,
  '2026-11-24T2300-people-and-conversations': peopleAndConversations,
  '2026-11-24T2330-mentions-all': mentionsAll,
  '2026-11-25T0010-two-factor-login': twoFactorLogin,
  '2026-11-25T0100-labels': labels,
  '2026-11-25T0130-recall': recall,
  '2026-11-25T0300-protection': protection,
  '2026-11-25T0600-invites': invites,
  '2026-11-25T0700-search': search,
  '2026-11-25T0800-files': files,
  '2026-11-25T1000-file-text-complete': fileTextComplete,
  '2026-12-06T0800-password-change-required': passwordChangeRequired,
  '2026-12-06T2003-provenance': provenance,
  '2026-12-06T2004-content-labels-and-single-use-confirmations': contentLabels,
  '2026-12-06T2005-hidden-content': hiddenContent,
  '2026-12-06T2006-file-page-count': filePageCount,
  '2026-12-06T2007-message-sender-guest': messageSenderGuest,
  '2026-12-06T2100-data-keys': dataKeys,
  '2026-12-06T2120-files-sealed': filesSealed,
  '2026-12-06T2130-search-hashed-terms': searchHashedTerms,
  '2026-12-06T2150-key-custody': keyCustody,
  '2026-12-07T0400-daily-export-runs': dailyExportRuns,
  '2026-12-07T0200-records-index': recordsIndex,
  '2026-12-07T0500-audit-checkpoints': auditCheckpoints,
  '2026-12-07T0300-legal-holds-and-retention': legalHoldsAndRetention,
  '2026-12-07T0100-approvals': approvals,
  '2026-12-08T0400-room-member-periods': roomMemberPeriods,
  '2026-12-08T2100-scheduled-and-urgent-messages': scheduledAndUrgentMessages,
  '2026-12-08T1000-leak-tracing': leakTracing,
  '2026-12-08T2000-work-hours': workHours,
  '2026-12-09T0300-after-hours-counts': afterHoursCounts,
  '2026-12-09T0400-email-digests': emailDigests,
  '2026-12-09T0500-purge-unaudited': purgeUnaudited,
};
