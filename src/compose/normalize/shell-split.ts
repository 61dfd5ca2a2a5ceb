// Splits a `command:` / `entrypoint:` string into argv the way Compose does (a POSIX-ish shell
// lexer, no expansion): whitespace separates words, quotes group, backslash escapes.

export class ShellSplitError extends Error {}

export function shellSplit(text: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) throw new ShellSplitError(`unterminated single quote in ${JSON.stringify(text)}`);
      word += text.slice(i + 1, end);
      inWord = true;
      i = end;
    } else if (c === '"') {
      let j = i + 1;
      for (; j < text.length && text[j] !== '"'; j++) {
        // Inside double quotes a backslash only escapes these, as in sh.
        if (text[j] === '\\' && '"\\$`\n'.includes(text[j + 1] ?? '')) j++;
        word += text[j];
      }
      if (j >= text.length) throw new ShellSplitError(`unterminated double quote in ${JSON.stringify(text)}`);
      inWord = true;
      i = j;
    } else if (c === '\\') {
      if (i + 1 < text.length) word += text[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}
