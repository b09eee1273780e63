/** Mocha hooks that run one emulator for a test file and reset it before each test. */
import { startEmulator, type Emulator } from '../../scripts/emulator';

export function useEmulator(): { readonly current: () => Emulator } {
  let emulator: Emulator | undefined;
  before(async function () {
    this.timeout(60_000);
    emulator = await startEmulator();
  });
  beforeEach(async () => {
    await emulator?.reset();
  });
  after(async () => {
    await emulator?.stop();
  });
  return {
    current: () => {
      if (emulator === undefined) throw new Error('emulator not started');
      return emulator;
    },
  };
}
