export { buildApp, VERSION, type BuildOptions, type Services } from './app';
export { verifyAuditLog, type AuditVerification } from './audit/audit.service';
export { publicKeyId, verifyAuditSignature } from './audit/audit-signing-key';
export { ConfigError, loadConfig, type Config, type ConfigInput } from './config';
export { migrateToLatest, openDatabase, type DatabaseHandle } from './db/database';
export { startServer, type RunningServer } from './server';
export { generatePassword } from './auth/password';
export { describeProblem, type PasswordProblem } from './auth/password-strength';
/** For the benchmark's data generator, which loads messages straight into a stopped server's storage. */
export { insertMessages } from './messages/messages.repository';
export { indexMessages } from './search/search-index';
export { documentWords } from './search/document-words';
export { searchTermHasher } from './search/search-terms';
export { encodeBody, loadSealingKeys, messagePlace } from './messages/message-body.codec';
export { Keyring, loadMasterKeysFor, roomKeyOwner, type KeyOwner } from './keys/keyring';
export { MasterKeyError, loadMasterKeys, masterKeyFilePath, readKeyFile, type MasterKeys } from './keys/master-key';
export { encryptInPlace, type StepProgress, type UpgradeReport } from './keys/encryption-upgrade';
export { rotateMasterKey, type RotationReport } from './keys/key-rotation';
export { readKeysStatus, type KeysStatus } from './keys/keys-status';
export { upgradeSteps } from './keys/upgrade-steps';
export type { UpgradeStep } from './keys/upgrade-step';
export { createBackup, type BackupSummary, type InstallationStorage } from './backup/backup.service';
export { verifyBackup, type BackupProblem, type BackupVerification } from './backup/backup-verify';
export { restoreBackup, type RestoreSummary } from './backup/restore.service';
export { BackupError, type BackupErrorCode } from './backup/backup-error';
export type { BackupProgress, ProgressListener } from './backup/backup-copy';
/** For the benchmark: what sealing a text costs, and how many stored bodies are sealed. */
export { SEALED_PREFIX, openText, sealText } from './keys/sealed';
