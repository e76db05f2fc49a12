import { buildOpenApiDocument } from '@enclave/protocol';
import Fastify, { type FastifyInstance } from 'fastify';
import { registerAuthRoutes } from './auth/auth.routes';
import { AuthService } from './auth/auth.service';
import { readToken } from './auth/credentials';
import { isEnrolmentRoute, isPasswordChangeRoute } from './auth/enrolment-gate';
import { MemoryLoginThrottle } from './auth/login-throttle';
import { PasswordPolicy } from './auth/password-policy';
import { registerTwoFactorRoutes } from './auth/two-factor.routes';
import { TwoFactorService } from './auth/two-factor.service';
import { checkpointFilePath } from './audit/audit-checkpoint-file';
import { AuditCheckpointer } from './audit/audit-checkpointer';
import { AuditSigningKey } from './audit/audit-signing-key';
import { AuditLogService } from './compliance/audit-log.service';
import { registerApprovalsRoutes } from './approvals/approvals.routes';
import { ApprovalsService } from './approvals/approvals.service';
import { SecurityLogService } from './approvals/security-log.service';
import { registerComplianceRoutes } from './compliance/compliance.routes';
import { registerRecordsSearchRoutes } from './records/records-search.routes';
import { RecordsSearchService } from './records/records-search.service';
import { ComplianceService } from './compliance/compliance.service';
import { EmailDigestJob } from './email-notifications/email-digest-job';
import { registerEmailNotificationsRoutes } from './email-notifications/email-notifications.routes';
import { EmailNotificationsService } from './email-notifications/email-notifications.service';
import { smtpMailerFor } from './email-notifications/smtp-mailer';
import { registerEdiscoveryRoutes } from './ediscovery/ediscovery.routes';
import { EdiscoveryService } from './ediscovery/ediscovery.service';
import { exportHost } from './ediscovery/export-host';
import { registerHoldsRoutes } from './holds/holds.routes';
import { HoldsService } from './holds/holds.service';
import { RetentionPurge } from './retention/retention-purge';
import { registerRetentionRoutes } from './retention/retention.routes';
import { RetentionService } from './retention/retention.service';
import { registerProvenanceRoutes } from './provenance/provenance.routes';
import { ProvenanceService } from './provenance/provenance.service';
import { SecretBox } from './crypto/secret-box';
import { Keyring, loadMasterKeysFor } from './keys/keyring';
import { upgradeSteps } from './keys/upgrade-steps';
import { legacySecretKey, removeAdoptedSecretKeyFile } from './crypto/secret-key';
import { registerDepartmentsRoutes } from './departments/departments.routes';
import { DepartmentsService } from './departments/departments.service';
import type { Config } from './config';
import type { DatabaseHandle } from './db/database';
import { registerDlpRoutes } from './dlp/dlp.routes';
import { DlpService } from './dlp/dlp.service';
import { FileAccess } from './files/file-access';
import { FileAttachments } from './files/file-attachments';
import { FileStore } from './files/file-store';
import { registerFilesRoutes } from './files/files.routes';
import { FilesService } from './files/files.service';
import { FileStamping } from './files/stamping/file-stamping';
import { StampWorkerPool } from './files/stamping/stamp-worker-pool';
import { DocumentWorkerPool } from './files/text-extraction';
import { AppError } from './http/app-error';
import { registerInvitesRoutes } from './invites/invites.routes';
import { InvitesService } from './invites/invites.service';
import type { Authenticate } from './http/endpoint-route';
import { trustedProxiesOf } from './http/client-address';
import { answerClientError } from './http/client-error';
import { installErrorHandling } from './http/error-handler';
import { redactUrl, requestLogFields } from './http/log-redaction';
import { installSecurityHeaders } from './http/security-headers';
import { serveWebClient } from './http/web-client';
import { registerSettingsRoutes } from './settings/settings.routes';
import { SettingsService } from './settings/settings.service';
import { registerLabelsRoutes } from './labels/labels.routes';
import { LabelsService } from './labels/labels.service';
import { MessageChangesService } from './messages/message-changes.service';
import { MessageWriter } from './messages/message-writer';
import { registerMessagesRoutes } from './messages/messages.routes';
import { MessagesService } from './messages/messages.service';
import { UrgentPolicyCheck } from './messages/urgent-policy';
import { ConfirmationTokens } from './protection/confirmation-token';
import { ContentLabels } from './protection/content-labels';
import { OutboundPolicy } from './protection/outbound-policy';
import { CpuWorkPool } from './worker-pool/cpu-work-pool';
import { NameScreening } from './protection/name-screening';
import { registerRoomsRoutes } from './rooms/rooms.routes';
import { ReadStatusService } from './rooms/read-status.service';
import { RoomLifecycleService } from './rooms/room-lifecycle.service';
import { RoomsService } from './rooms/rooms.service';
import { roomNames } from './rooms/room-names';
import { ScheduledSendJob } from './scheduled/scheduled-send-job';
import { registerScheduledRoutes } from './scheduled/scheduled.routes';
import { ScheduledService } from './scheduled/scheduled.service';
import { registerSearchRoutes } from './search/search.routes';
import { SearchService } from './search/search.service';
import { EventHub } from './events/event-hub';
import { SharedCaches } from './node-cache';
import { ClusterLink, clusterSubjectPrefix } from './cluster/cluster-link';
import { registerReadiness } from './http/readiness';
import { applyControl, type ControlHandlers } from './cluster/cluster-control';
import { PRESENCE_ROLL_CALL_MS, RemotePresence, rollCallParts } from './stream/remote-presence';
import { SharedLoginThrottle } from './cluster/shared-login-throttle';
import { EventLog } from './events/event-log';
import { entriesBetween, readLogHead } from './events/event-log.repository';
import { registerTracingRoutes } from './tracing/tracing.routes';
import { TracingService } from './tracing/tracing.service';
import { hubEventsFromRows } from './events/log-entries';
import { PresenceTracker } from './stream/presence';
import type { StreamConnection } from './stream/stream-connection';
import { registerStreamRoutes } from './stream/stream.routes';
import { StreamService } from './stream/stream.service';
import { registerUsersRoutes } from './users/users.routes';
import { systemClock, type Clock } from './clock';
import { installRequestMetrics, registerMetricsRoutes } from './metrics/metrics.routes';
import { ServerMetrics } from './metrics/server-metrics';
import { registerWorkHoursRoutes } from './work-hours/work-hours.routes';
import { WorkHoursService } from './work-hours/work-hours.service';
import { AfterHoursCounter } from './work-hours/after-hours-counter';
import { AfterHoursReportService } from './work-hours/after-hours-report.service';
import { UsersService } from './users/users.service';

export const VERSION = '0.1.0';

export interface Services {
  auth: AuthService;
  users: UsersService;
  departments: DepartmentsService;
  twoFactor: TwoFactorService;
  settings: SettingsService;
  rooms: RoomsService;
  messages: MessagesService;
  stream: StreamService;
  files: FilesService;
  documents: DocumentWorkerPool;
  keys: Keyring;
  auditKey: AuditSigningKey;
  ediscovery: EdiscoveryService;
  auditCheckpoints: AuditCheckpointer;
  retention: RetentionService;
  scheduledSends: ScheduledSendJob;
  /** Trace codes; stamped downloads issue theirs here. */
  tracing: TracingService;
  workHours: WorkHoursService;
  /** Absent when the operator configured no SMTP server. */
  emailDigests: EmailDigestJob | undefined;
}

export interface BuildOptions {
  /** Where log lines go instead of stdout (a test reads them back). */
  logStream?: { write(line: string): void };
  /** The time the server goes by (scheduled sends, work hours): tests set and move their own; the system clock otherwise. */
  clock?: Clock;
  /**
   * How often a node linked to others compares itself with the log's head (cluster/cluster-link.ts): a test makes it
   * long to prove that the broker alone carries events between nodes.
   */
  clusterResyncMs?: number;
  /**
   * How often a node linked to others tells them everyone connected to it (stream/remote-presence.ts); a node silent
   * for three of these counts as gone. A test makes it short to see a killed node's people go offline without
   * waiting half a minute.
   */
  presenceRollCallMs?: number;
}

/** Wires the features together: one instance of each service, shared by HTTP routes and the stream. */
export async function buildApp(config: Config, database: DatabaseHandle, options: BuildOptions = {}): Promise<{ app: FastifyInstance; services: Services }> {
  const trustedProxies = trustedProxiesOf(config.trustProxy);
  const app = Fastify({
    logger: {
      level: config.logLevel,
      // Credentials never reach the log, whatever a request carries; secrets in URLs are cut out by requestLogFields.
      redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
      serializers: { req: requestLogFields },
      ...(options.logStream ? { stream: options.logStream } : {}),
    },
    bodyLimit: config.bodyLimit,
    trustProxy: trustedProxies,
    genReqId: () => crypto.randomUUID(),
    // Node checks the header and request timeouts on this interval; its default of 30 s would let a connection
    // that sends nothing live for up to 40 s with a 10 s headers timeout.
    http: { headersTimeout: config.headersTimeoutMs, requestTimeout: config.requestTimeoutMs, connectionsCheckingInterval: 1000 },
    requestTimeout: config.requestTimeoutMs,
    connectionTimeout: config.idleTimeoutMs,
    keepAliveTimeout: config.keepAliveTimeoutMs,
    clientErrorHandler: answerClientError,
  });
  installSecurityHeaders(app);
  installErrorHandling(app);
  // Off unless asked for; off, nothing is timed or counted beyond the plain numbers the hub keeps anyway.
  const metrics = config.metrics === 'on' ? new ServerMetrics() : undefined;
  if (metrics) installRequestMetrics(app, metrics);

  const { db } = database;
  const keys = await Keyring.open(db, await loadMasterKeysFor(db, config), { encrypting: config.encryption === 'on', source: config, upgradeSteps: upgradeSteps(config).map((step) => step.name) });
  // The key sealing TOTP secrets, signing send confirmations and the nodes' messages to each other is an installation
  // data key; an older version's secret.key (or ENCLAVE_SECRET_KEY) is adopted as it on the first start after the upgrade.
  const legacySecret = legacySecretKey(config);
  const secretKey = await keys.adopt(db, 'secrets', legacySecret?.key);
  removeAdoptedSecretKeyFile(legacySecret, secretKey);
  const auditKey = AuditSigningKey.open(config);
  const auditCheckpoints = new AuditCheckpointer(db, auditKey, { everyEntries: config.auditCheckpointEntries, everyMs: config.auditCheckpointMinutes * 60_000, file: checkpointFilePath(config) }, app.log);
  const clock = options.clock ?? systemClock;
  const hub = new EventHub<StreamConnection>(
    await readLogHead(db),
    async (from, to) => {
      const { messages, events } = await entriesBetween(db, from, to);
      return hubEventsFromRows(db, keys, messages, events);
    },
    (error) => app.log.error({ err: error }, 'filling a gap in the event log failed'),
    () => clock.now(),
  );
  app.addHook('onClose', async () => hub.stop());
  // With NATS, this node rings the others' doorbell after each commit and reads what they commit from the database.
  const cluster = config.natsUrl
    ? new ClusterLink({
        url: config.natsUrl,
        installationKey: secretKey,
        subjectPrefix: clusterSubjectPrefix(config.databaseUrl!),
        // A node announces a position once it is committed, and only a node of the installation can announce
        // (cluster-seal.ts), so the position is read up to as it is.
        onCommitted: async (position) => hub.advanceTo(position),
        onRoomFrame: (roomId, frame, exceptUserId) => hub.sendToRoom(roomId, frame, exceptUserId),
        onControl: (control, fromNode) => applyControl(control, fromNode, controlHandlers),
        resync: async () => hub.advanceTo(await readLogHead(db)),
        afterMissedMessages: async (broker) => {
          await stream?.closeStale();
          if (broker === 'away') return;
          caches.dropAll();
          await schedulesChangedHere('everyone');
        },
        ...(options.clusterResyncMs !== undefined ? { resyncMs: options.clusterResyncMs } : {}),
        log: app.log,
      })
    : undefined;
  app.addHook('onClose', async () => cluster?.close());
  // Policy every send consults, kept in memory; a change anywhere reaches every node's copy at once.
  const caches = new SharedCaches(cluster && ((name) => cluster.relayControl({ kind: 'cache-changed', name })));
  const eventLog = new EventLog(db, {
    publish: (events) => {
      hub.publish(events);
      if (events.length > 0) cluster?.announceCommitted(events.reduce((highest, event) => Math.max(highest, event.position), 0));
    },
  });
  let stream: StreamService | undefined;
  // Whether people are off work is read when their stream opens and again after anything that may change it. A
  // failed reload leaves the change made and the streams on the hours they had; it is logged, not answered as an error.
  const refreshQuietHours = async (who: readonly string[] | 'everyone') => {
    await stream?.refreshQuietHours(who).catch((error: unknown) => app.log.error({ err: error }, 'reloading quiet hours failed'));
  };
  // The after-hours counts keep each sender's hours in memory too, and forget them on the same changes.
  const afterHours = new AfterHoursCounter({ senderSchedulesOf: async (userIds) => workHours.senderSchedulesOf(userIds), clock });
  const schedulesChangedHere = async (who: readonly string[] | 'everyone') => {
    afterHours.forget(who);
    await refreshQuietHours(who);
  };
  const schedulesChanged = async (who: readonly string[] | 'everyone') => {
    await schedulesChangedHere(who);
    cluster?.relayControl({ kind: 'schedules-changed', who: who === 'everyone' ? who : [...who] });
  };
  // What another node changed that this one holds in memory (cluster/cluster-control.ts).
  const presenceRollCallMs = options.presenceRollCallMs ?? PRESENCE_ROLL_CALL_MS;
  const remotePresence = new RemotePresence(presenceRollCallMs);
  const controlHandlers: ControlHandlers = {
    sessionsEnded: (sessionIds) => stream?.closeSessions(sessionIds),
    streamsReopen: (userId) => stream?.reopenStreamsOf(userId),
    schedulesChanged: (who) => void schedulesChangedHere(who),
    throttleAttempt: (name, attempt) => {
      const throttle = throttles[name];
      if (throttle instanceof SharedLoginThrottle) throttle.apply(attempt);
    },
    presenceChanged: (node, person) => {
      remotePresence.change(node, person, Date.now());
      presence.refreshRemote([person.userId]);
    },
    presenceRollCall: (node, part) => presence.refreshRemote(remotePresence.rollCallPart(node, part, Date.now())),
    cacheChanged: (name) => caches.changedElsewhere(name),
  };
  const presence = new PresenceTracker(hub, cluster && { remote: remotePresence, announce: (person) => cluster.relayControl({ kind: 'presence', ...person, rooms: [...person.rooms] }) });
  if (cluster) {
    // The roll call tells the other nodes everyone connected here, and shows which nodes are gone (their people go offline).
    let round = 0;
    const rollCall = setInterval(() => {
      round += 1;
      for (const part of rollCallParts(round, presence.localPeople())) cluster.relayControl({ kind: 'presence-roll-call', ...part });
      presence.refreshRemote(remotePresence.forgetSilentNodes(Date.now()));
    }, presenceRollCallMs);
    rollCall.unref();
    app.addHook('onClose', async () => clearInterval(rollCall));
  }
  // Each node counts sign-in and invite-code attempts in memory; linked nodes tell each other every attempt.
  const sharedThrottle = (name: 'sign-in' | 'invite') => {
    const local = new MemoryLoginThrottle(config.loginAttemptsPerMinute);
    return cluster ? new SharedLoginThrottle(local, (attempt) => cluster.relayControl({ kind: 'throttle', throttle: name, ...attempt })) : local;
  };
  const throttles = { 'sign-in': sharedThrottle('sign-in'), invite: sharedThrottle('invite') };
  const throttle = throttles['sign-in'];
  const labels = new LabelsService(db, caches);
  // The organisation's SMTP server, when the operator named one: without it, e-mail notifications stay off.
  const mailer = smtpMailerFor(config);
  const settings = new SettingsService(db, labels, caches, mailer !== undefined);
  const passwords = new PasswordPolicy(settings);
  const twoFactor = new TwoFactorService({ db, box: new SecretBox(secretKey), throttle });
  const auth = new AuthService({
    db,
    throttle,
    passwords,
    twoFactor,
    settings,
    passwordHashCost: config.passwordHashCost,
    sessionDays: config.sessionDays,
    onSessionsEnded: (ids) => {
      stream?.closeSessions(ids);
      cluster?.relayControl({ kind: 'sessions-ended', sessionIds: ids });
    },
  });
  const approvals = new ApprovalsService({ db, keys });
  const dlp = new DlpService(db, labels, approvals, caches);
  const work = new CpuWorkPool({ timeoutMs: config.cpuWorkTimeoutMs });
  app.addHook('onClose', async () => work.close());
  const documents = new DocumentWorkerPool();
  app.addHook('onClose', async () => documents.close());
  const names = new NameScreening({ db, dlp, work });
  const users = new UsersService({
    db,
    auth,
    labels,
    settings,
    passwords,
    eventLog,
    passwordHashCost: config.passwordHashCost,
    names,
    keys,
    onRoleChanged: (userId) => {
      stream?.reopenStreamsOf(userId);
      cluster?.relayControl({ kind: 'streams-reopen', userId });
    },
    onTimeZoneChanged: async (userId) => schedulesChanged([userId]),
    approvals,
  });
  const departments = new DepartmentsService({ db, users, onPlacementChanged: schedulesChanged });
  const rooms = new RoomsService({ db, eventLog, labels, names, keys });
  const workHours = new WorkHoursService({ db, rooms, clock, onSchedulesChanged: schedulesChanged });
  const policy = new OutboundPolicy({ db, dlp, settings, labels, tokens: new ConfirmationTokens(secretKey), work, keys, ...(metrics ? { countHit: (action) => metrics.countDlpHit(action) } : {}) });
  const contentLabels = new ContentLabels({ db, dlp, labels, work });
  const provenance = new ProvenanceService({ db, labels, work, enabled: config.fingerprints === 'on', keys });
  const messages = new MessagesService({ db, rooms, labels, writer: new MessageWriter(db, eventLog, work, keys, (senderIds) => afterHours.prepare(senderIds), metrics && ((size, seconds) => metrics.observeSendBatch(size, seconds))), policy, contentLabels, files: new FileAttachments(db, keys), provenance, urgent: new UrgentPolicyCheck({ db, settings, keys }), keys });
  const fileAccess = new FileAccess({ db, rooms, labels });
  const tracing = new TracingService({ db, rooms, files: fileAccess, labels, keys });
  const stampers = new StampWorkerPool();
  app.addHook('onClose', async () => stampers.close());
  const stamping = new FileStamping(tracing, stampers);
  const files = new FilesService({ db, rooms, labels, contentLabels, settings, provenance, store: new FileStore(config.filesDir), keys, access: fileAccess, log: app.log, extractionTimeoutMs: config.textExtractionTimeoutMs, documents, stamping });
  const messageChanges = new MessageChangesService({ db, eventLog, rooms, messages, settings, policy, labels, contentLabels, work, provenance, keys });
  const compliance = new ComplianceService({ db, eventLog, messages, changes: messageChanges, files, keys });
  const ediscovery = new EdiscoveryService({ db, keys, files, auditKey, host: exportHost(config.publicUrl), tracing, log: app.log });
  const scheduledSends = new ScheduledSendJob({ db, messages, eventLog, keys, clock, log: app.log });
  const scheduled = new ScheduledService({ db, rooms, labels, keys, clock, onChanged: () => void scheduledSends.poke() });
  const readStatus = new ReadStatusService({ db, eventLog, rooms });
  const retention = new RetentionService({ db, labels, purge: new RetentionPurge({ db, dialect: database.dialect, wal: database.wal, eventLog, files, keys, log: app.log }), log: app.log });
  const lifecycle = new RoomLifecycleService({ db, dialect: database.dialect, wal: database.wal, eventLog, files, keys, log: app.log, settings });
  // Wrong invite codes are throttled like wrong passwords, with counts of their own.
  const inviteThrottle = throttles.invite;
  const invites = new InvitesService({ db, rooms, users, auth, labels, throttle: inviteThrottle, passwords, passwordHashCost: config.passwordHashCost, keys, approvals });
  stream = new StreamService({ db, hub, messages, labels, presence, quietHoursOf: (userIds) => workHours.quietHoursOf(userIds), now: () => clock.now(), relayRoomFrame: cluster && ((roomId, frame, exceptUserId) => cluster.relayRoomFrame(roomId, frame, exceptUserId)), log: app.log, keys });

  const emailPolicy = async () => (await settings.getSettings()).emailNotifications;
  const email = new EmailNotificationsService({ db, mailer, smtp: config, policy: emailPolicy, requireUser: async (userId) => users.getUser(userId), logHead: async () => readLogHead(db) });
  // A mailer exists only with ENCLAVE_SMTP_HOST, which the configuration accepts only with ENCLAVE_PUBLIC_URL.
  const emailDigests = mailer && new EmailDigestJob({
    db,
    dialect: database.dialect,
    mailer,
    policy: emailPolicy,
    ranks: async () => labels.ranks(),
    roomNames: async (roomIds) => roomNames(db, keys, roomIds),
    quietHoursOf: async (userIds) => workHours.quietHoursOf(userIds),
    isConnected: (userId) => presence.statusOf(userId) !== 'offline',
    logHead: async () => readLogHead(db),
    publicUrl: config.publicUrl!,
    clock,
    log: app.log,
  });

  const authenticate: Authenticate = (request) => auth.authenticate(readToken(request.headers), request.ip, { enrolling: isEnrolmentRoute(request), changingPassword: isPasswordChangeRoute(request) });

  // Whether content from before encryption is still being sealed on this node: a state, never counts or content.
  app.get('/healthz', async () => ({
    status: cluster && cluster.state() !== 'connected' ? 'degraded' : 'ok',
    version: VERSION,
    encryption: !keys.encrypting ? 'off' : keys.acceptsPlain ? 'upgrading' : 'complete',
    // A node linked to others: whether its broker line is up, how many log positions it has yet to deliver, and how
    // many messages it ignored because no node of the installation signed them (someone else on the broker).
    ...(cluster ? { cluster: { nats: cluster.state(), behind: Math.max(0, (await readLogHead(db)) - hub.deliveredUpTo), refused: cluster.refused() } } : {}),
  }));
  registerReadiness(app, {
    db,
    ...(cluster ? { delivery: async () => ({ head: await readLogHead(db), delivered: hub.deliveredUpTo }) } : {}),
    now: () => clock.now(),
  });
  const openApi = buildOpenApiDocument(VERSION);
  app.get('/api/v1/openapi.json', async () => openApi);
  registerAuthRoutes(app, auth, authenticate, config.sessionDays);
  registerUsersRoutes(app, users, authenticate);
  registerDepartmentsRoutes(app, departments, authenticate);
  registerTwoFactorRoutes(app, twoFactor, authenticate);
  registerSettingsRoutes(app, settings, authenticate);
  registerRoomsRoutes(app, { rooms, readStatus, lifecycle }, authenticate);
  registerLabelsRoutes(app, labels, authenticate);
  registerMessagesRoutes(app, messages, messageChanges, authenticate);
  registerScheduledRoutes(app, scheduled, authenticate);
  registerDlpRoutes(app, dlp, authenticate);
  registerComplianceRoutes(app, compliance, new AuditLogService({ db, keys, checkpoints: auditCheckpoints }), authenticate);
  registerEdiscoveryRoutes(app, ediscovery, authenticate);
  registerHoldsRoutes(app, new HoldsService({ db, keys }), authenticate);
  registerRetentionRoutes(app, retention, authenticate);
  registerProvenanceRoutes(app, provenance, authenticate);
  registerSearchRoutes(app, new SearchService(db, keys), authenticate);
  registerRecordsSearchRoutes(app, new RecordsSearchService({ db, keys, files }), authenticate);
  registerFilesRoutes(app, files, authenticate);
  registerTracingRoutes(app, tracing, authenticate);
  registerInvitesRoutes(app, invites, authenticate, { publicUrl: config.publicUrl, sessionDays: config.sessionDays });
  registerApprovalsRoutes(app, { approvals, securityLog: new SecurityLogService(db) }, authenticate);
  registerEmailNotificationsRoutes(app, email, authenticate);
  registerWorkHoursRoutes(app, workHours, new AfterHoursReportService({ db, clock, workHours, listDepartments: async (viewer) => departments.listDepartments(viewer) }), authenticate);
  const streams = registerStreamRoutes(app, stream, auth, { maxPerUser: config.streamMaxPerUser, maxPerAddress: config.streamMaxPerAddress, framesPerSecond: config.streamFramesPerSecond }, trustedProxies);
  if (metrics) {
    metrics.watch({ openStreams: streams.openStreams, deliveries: () => hub.deliveries, pool: database.pool });
    registerMetricsRoutes(app, metrics, config.metricsToken);
  }
  app.setNotFoundHandler((request) => {
    // The path is logged with the error, so it is redacted like the request line (an invite code after a typo).
    throw new AppError('ROUTE_NOT_FOUND', { method: request.method, path: redactUrl(request.url.split('?')[0]!) });
  });
  if (config.webRoot) await serveWebClient(app, config.webRoot);

  return { app, services: { auth, users, departments, twoFactor, settings, rooms, messages, stream, files, documents, keys, auditKey, ediscovery, auditCheckpoints, retention, scheduledSends, tracing, workHours, emailDigests } };
}
