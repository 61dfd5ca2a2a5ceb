// Text into HTML: everything a service or a check produced is data, never markup.
export function h(text: unknown): string {
  return String(text ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

export function ms(value: number | undefined): string {
  if (value === undefined) return '—';
  if (value >= 10_000) return `${(value / 1000).toFixed(1)}s`;
  if (value >= 10) return `${Math.round(value)}ms`;
  return `${Number(value.toFixed(1))}ms`;
}

export function bytes(value: number | undefined): string {
  if (value === undefined) return '—';
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let v = value;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) (v /= 1024), i++;
  return `${v.toFixed(i ? 1 : 0)} ${units[i]}`;
}
