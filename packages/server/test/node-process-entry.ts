// One Enclave node in a process of its own, for tests that kill it (node-process.ts): the real server started with
// `startServer` from the environment, as `enclave serve` starts it, plus the build options a test asks for in
// ENCLAVE_TEST_BUILD_OPTIONS (JSON). It tells its parent its address over the IPC channel, and closes when the
// parent lets go of that channel.
import { loadConfig, startServer, type BuildOptions } from '../src/index';

try {
  const build = JSON.parse(process.env.ENCLAVE_TEST_BUILD_OPTIONS ?? '{}') as BuildOptions;
  const running = await startServer(loadConfig(process.env), build);
  process.once('disconnect', () => {
    void running.close().finally(() => process.exit(0));
  });
  process.send?.({ type: 'ready', url: running.url });
} catch (error) {
  process.send?.({ type: 'failed', error: String(error) });
  process.exit(1);
}
