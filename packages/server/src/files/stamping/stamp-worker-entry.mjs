// Entry point of a stamping thread. A worker starts without the module hooks of the thread that created it, so it
// registers tsx itself, as bin/enclave.mjs does, before loading the TypeScript worker.
const { register } = await import('tsx/esm/api');
register();
await import('./stamp-worker.ts');
