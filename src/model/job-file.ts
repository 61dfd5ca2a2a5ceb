// Where the orchestrator puts the runner's job. The runner starts before its job exists (while the
// stack comes up) and waits for the marker, which arrives after the job in the same archive.
export const JOB_PATH = '/envtest/job.json';
export const JOB_READY_SUFFIX = '.ready';
