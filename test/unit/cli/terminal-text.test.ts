import { describe, expect, it } from 'vitest';
import { escapeControls } from '../../../src/cli/terminal-text.js';

describe('escapeControls', () => {
  it('shows ESC, BEL, CR, DEL and C1 controls as \\xNN and keeps newline, tab and other text', () => {
    expect(escapeControls('a\x1b[2Jb\x07c\rd\x7fe\x9bf')).toBe('a\\x1b[2Jb\\x07c\\x0dd\\x7fe\\x9bf');
    expect(escapeControls('line one\n\tline two ✓ ü')).toBe('line one\n\tline two ✓ ü');
  });
});
