// The program run (with `node -e`) in the helper for each forwarded connection: it connects to the
// target and copies bytes both ways over its stdio, which the engine carries to envtest. Half-closes
// pass through (stdin's end ends the socket's writing side), so request/shutdown/response protocols
// work; it exits once the target has closed and everything it sent is written, or when it fails
// to connect.

export function relayCommand(host: string, port: number): string[] {
  const script = [
    `const s = require('net').connect(${Number(port)}, ${JSON.stringify(host)});`,
    's.setNoDelay(true);',
    "s.on('connect', () => process.stdin.pipe(s));",
    's.pipe(process.stdout);',
    "s.on('error', (e) => { process.stderr.write(e.message + '\\n'); process.exitCode = 1; });",
    // Not process.exit(): what the target sent last may still be on its way out through stdout.
    "s.on('close', () => process.stdin.destroy());",
    // The envtest side went away without a word: nothing will read what the target sends.
    "process.stdout.on('error', () => process.exit());",
  ].join(' ');
  return ['node', '-e', script];
}
