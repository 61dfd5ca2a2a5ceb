// vitest globalSetup: the test run fails if it left files in the working tree. Tests write under
// temporary directories only; build output (dist/) and installed packages are not test output.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const NOT_TEST_OUTPUT = /^(node_modules|dist)\//;

function untracked(): Set<string> {
  const out = execFileSync('git', ['status', '--porcelain', '--ignored', '--untracked-files=all', '-z'], { cwd: root, encoding: 'utf8' });
  return new Set(
    out
      .split('\0')
      .filter((e) => e.startsWith('?? ') || e.startsWith('!! '))
      .map((e) => e.slice(3))
      .filter((path) => !NOT_TEST_OUTPUT.test(path)),
  );
}

export default function guardWorkingTree(): () => void {
  const before = untracked();
  return () => {
    const gained = [...untracked()].filter((path) => !before.has(path));
    if (gained.length) throw new Error(`the tests left files in the working tree (write them under a temporary directory):\n  ${gained.slice(0, 20).join('\n  ')}`);
  };
}
