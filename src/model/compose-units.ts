// The canonical forms `docker compose config` prints (compose-go's types): byte sizes as a count of
// bytes, durations as Go prints them (`1m0s`), file modes as octal text (`0440`). The loader writes
// them; the orchestrator reads them back into numbers.
import { parseDuration } from './duration.js';

const BYTE_UNITS: Record<string, number> = { b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

/** `64m`, `1.5g`, `512kb`, `100` or `"100"` (bytes), `-1` (unlimited, for memswap_limit). The loader has checked the form. */
export function parseBytes(size: string | number): number {
  if (typeof size === 'number') return size;
  const m = /^(-?\d+(?:\.\d+)?)\s*([bkmg])?b?$/i.exec(size.trim());
  return m ? Math.round(Number(m[1]) * BYTE_UNITS[(m[2] ?? 'b').toLowerCase()]!) : Number(size);
}

/** A byte size as compose-go prints it: the number of bytes, as text. */
export const canonicalBytes = (size: string | number): string => String(parseBytes(size));

/** Go's time.Duration.String() for a duration written as Compose allows (`90s` → `1m30s`, `1m` → `1m0s`). */
export function goDuration(text: string | number): string {
  const ms = parseDuration(text);
  if (ms === undefined) return String(text);
  const ns = Math.round(ms * 1e6);
  if (ns === 0) return '0s';
  if (ns < 1e3) return `${ns}ns`;
  if (ns < 1e6) return `${trim(ns / 1e3)}µs`;
  if (ns < 1e9) return `${trim(ns / 1e6)}ms`;
  const h = Math.floor(ns / 3.6e12);
  const m = Math.floor((ns % 3.6e12) / 6e10);
  const s = trim((ns % 6e10) / 1e9);
  return h ? `${h}h${m}m${s}s` : m ? `${m}m${s}s` : `${s}s`;
}

const trim = (n: number): string => String(Number(n.toFixed(9)));

/** `0440` (text, possibly `0o440`) or a number to the octal text compose-go prints. */
export function octalMode(mode: string | number): string {
  const n = typeof mode === 'number' ? mode : parseInt(mode.replace(/^0o/, ''), 8);
  return `0${n.toString(8)}`;
}

/** The octal text back to a number for the engine. */
export const modeBits = (mode: string | number): number => (typeof mode === 'number' ? mode : parseInt(mode.replace(/^0o/, ''), 8));
