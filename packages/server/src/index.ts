export { buildApp, VERSION, type BuildOptions, type Services } from './app';
export { verifyAuditLog, type AuditVerification } from './audit/audit.service';
export { ConfigError, loadConfig, type Config, type ConfigInput } from './config';
export { migrateToLatest, openDatabase, type DatabaseHandle } from './db/database';
export { startServer, type RunningServer } from './server';
export { generatePassword } from './auth/password';
export { describeProblem, type PasswordProblem } from './auth/password-strength';
/** For the benchmark's data generator, which loads messages straight into a stopped server's storage. */
export { insertMessages } from './messages/messages.repository';
export { indexMessages } from './search/search-index';
export { documentWords } from './search/document-words';
export { encodeBody } from './messages/message-body.codec';
export { Keyring, loadMasterKeysFor, type KeyOwner } from './keys/keyring';
export { MasterKeyError } from './keys/master-key';
/** For the benchmark: what sealing a text costs, and how many stored bodies are sealed. */
export { SEALED_PREFIX, openText, sealText } from './keys/sealed';
