/**
 * A control's part of the sample estate that `npm run demo` and the integration tests run on: resources created
 * through the control's real SDK client against the local emulator, and the captured Config event its handler is
 * invoked with. Each rules/<rule>/sample.ts exports one as `sample`; scripts/sample-estate.ts finds it by folder.
 */

/** Where the emulator is: every sample client is created with these settings. */
export interface SampleClientSettings {
  readonly region: string;
  readonly endpoint: string;
  readonly credentials: { accessKeyId: string; secretAccessKey: string };
}

export interface RuleSample {
  /** File under samples/events/ that the demo invokes the rule's handler with (`invoke --event`). */
  readonly event: string;
  /** Creates the control's sample resources, each named for what it shows (one failing at least). */
  seed(settings: SampleClientSettings, today: Date): Promise<void>;
}
