// How received text appears in failure messages: quoted, one line, cut to a readable length.

export function snippet(text: string, max = 200): string {
  const cut = text.length > max ? `${text.slice(0, max)}…` : text;
  return JSON.stringify(cut);
}

/** A value as it appears in messages: strings quoted, everything else as JSON. */
export function show(value: unknown, max = 80): string {
  if (value === undefined) return 'nothing';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return typeof value === 'string' ? snippet(text, max) : text.length > max ? `${text.slice(0, max)}…` : text;
}
