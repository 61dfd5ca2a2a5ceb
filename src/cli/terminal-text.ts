// Check names, service output and error text can hold anything a suite or a container wrote. Raw
// control characters would move the cursor, recolour or retitle the user's terminal, or hide lines
// behind a carriage return, so C0/C1 controls (except newline and tab) are shown as \xNN instead.
const CONTROLS = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/g;

export const escapeControls = (text: string): string =>
  text.replace(CONTROLS, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
