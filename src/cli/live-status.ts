// The in-place status line is for a person at a terminal: CI logs and pipes get plain lines, since
// carriage returns and erase codes would pile up there as noise.
import { isCI } from '../ci.js';

export function wantsLiveStatus(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  return !!stream.isTTY && !isCI(env);
}
