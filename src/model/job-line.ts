// How the runner's job goes down the sidecar's stdin: one line, after this prefix. Whatever comes
// before it is not the job: Podman passes the attach request's own body into the container's stdin
// (`{"stream":true,...}`, with no newline), where Docker passes nothing.
export const JOB_LINE_PREFIX = 'envtest-job:';

/** The text to write: a newline first, so that the job starts a line whatever came before it. */
export function jobLine(job: unknown): string {
  return `\n${JOB_LINE_PREFIX}${JSON.stringify(job)}\n`;
}
