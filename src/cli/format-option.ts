// `--format` on every command: commander refuses a value outside the list (exit 2, naming the
// choices), so no command can fall back to its default on a typo such as `--format xml`.
import { Option } from 'commander';

export function formatOption(choices: readonly string[], description: string, defaultValue: string): Option {
  return new Option('--format <format>', description).choices(choices).default(defaultValue);
}
