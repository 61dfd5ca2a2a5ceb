// The library entry: `import { up, loadSuite } from 'envtest'`. Importing it starts nothing; the
// CLI (src/cli/main.ts) is a separate entry built on the same functions.
import './library/dispose-symbol.js';

export { up } from './library/up.js';
export { attach } from './library/attach.js';
export type { AttachOptions } from './library/attach.js';
export { run } from './library/run.js';
export type { RunOptions, RunOutcome } from './library/run.js';
export type { SnapshotOptions } from './library/check.js';
export type { SavedSnapshotFile } from './snapshot/book.js';
export type { Transaction } from './model/transaction.js';
export type { ProgressEvent } from './orchestrator/lifecycle/progress.js';
export type { UpOptions } from './library/prepare.js';
export { Environment } from './library/environment.js';
export type { Address, CheckOptions, DownReport, ServiceInfo } from './library/environment.js';
export type { ExecOptions, ExecOutput, LogOptions } from './library/service-output.js';
export { loadSuite, loadSuites } from './library/suites.js';
export type { Suite, Check } from './model/suite.js';
export type { CheckResult, CheckStatus, LatencySummary, RunnerEvent, RunStatus } from './model/results.js';
export type { RunReport, ServiceTiming } from './artifacts/report.js';
export {
  EngineUnavailableError,
  EnvironmentError,
  EnvtestError,
  ExitCode,
  InterruptedError,
  UsageError,
  ValidationError,
  WaitTimeoutError,
  formatProblem,
  isEnvtestError,
} from './errors.js';
export type { Problem } from './errors.js';
