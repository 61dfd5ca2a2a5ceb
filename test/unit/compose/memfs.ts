// An in-memory file system for loader tests: paths are absolute, contents are strings.
import type { FileSystem } from '../../../src/compose/index.js';

export function memfs(files: Record<string, string>): FileSystem {
  return {
    read: async (p) => files[p],
    exists: async (p) => p in files,
  };
}
