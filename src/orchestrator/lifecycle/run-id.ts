import { randomBytes } from 'node:crypto';
import { UsageError } from '../../errors.js';

// Short and readable, so people can type it into `envtest down`; random enough that parallel CI
// jobs on one engine do not collide.
const WORDS = ['amber', 'brisk', 'cedar', 'delta', 'ember', 'fjord', 'grove', 'harbor', 'indigo', 'juniper', 'kestrel', 'lumen', 'maple', 'nimbus', 'onyx', 'pine', 'quartz', 'raven', 'sable', 'tundra', 'umber', 'vale', 'willow', 'yarrow', 'zephyr'];

export function generateRunId(): string {
  const bytes = randomBytes(3);
  return `${WORDS[bytes[0]! % WORDS.length]}-${bytes.subarray(1).toString('hex')}`;
}

/** Run ids become part of container, network and volume names, so they follow the engine's name rules. */
export function checkRunId(id: string): string {
  if (!/^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,39}$/.test(id)) {
    throw new UsageError(`run id "${id}" is not valid: use 1 to 40 letters, digits, '-', '_' or '.', starting with a letter or digit`);
  }
  return id;
}
