export { buildApp, VERSION, type Services } from './app';
export { verifyAuditLog, type AuditVerification } from './audit/audit.service';
export { ConfigError, loadConfig, type Config, type ConfigInput } from './config';
export { migrateToLatest, openDatabase, type DatabaseHandle } from './db/database';
export { startServer, type RunningServer } from './server';
export { generatePassword } from './auth/password';
