/**
 * Whether the environment says this is CI, the way CI providers and vitest mean it: `CI` set to
 * anything but empty, `0` or `false`. One meaning for snapshots (never recorded in CI) and the
 * terminal (no live status line in CI logs).
 */
export function isCI(env: NodeJS.ProcessEnv): boolean {
  const v = env.CI?.trim().toLowerCase();
  return v !== undefined && v !== '' && v !== '0' && v !== 'false';
}
