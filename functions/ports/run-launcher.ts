import type { CodeUnitId } from '../domain/catalogue.js';

/** A request to run an entry now (a manual run), handed to the code unit's function asynchronously. */
export interface ManualRunRequest {
  readonly codeUnit: CodeUnitId;
  readonly entryId: string;
  readonly trigger: 'manual';
  /** Chosen by the caller so that the API can answer with it before the run starts. */
  readonly runId: string;
  readonly requestedBy: string;
}

/** Starts a run without waiting for it: Lambda async invoke on AWS, an in-process call locally. */
export interface RunLauncher {
  launch(request: ManualRunRequest): Promise<void>;
}
