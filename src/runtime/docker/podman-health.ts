// Podman runs a container's health check from a systemd timer. Where there is no systemd (most CI
// containers, WSL, Debian's podman in a plain VM), the timer cannot be made, the check never runs and
// the container stays `starting` forever: every `service_healthy` dependency would hang until its
// timeout. Podman's own API can run the check once (`podman healthcheck run`), with the same
// bookkeeping (failing streak, retries, start period, health_status event), so envtest runs it at
// the container's interval for as long as it watches. With systemd too the check then runs up to
// twice an interval, which changes nothing but the check's load. This keeps Podman's own verdict
// (`unhealthy` after its retries) working; seeing `healthy` sooner than the interval is the
// orchestrator's exec probe's job (orchestrator/readiness/health-probe.ts), the same on every engine: running
// `healthcheck run` that often would burn Podman's retries and mark a slow starter unhealthy.
import type Docker from 'dockerode';
import { healthcheckOf } from './healthcheck-config.js';

/** Docker's default interval, which Podman applies too when the compose file gives none. */
const DEFAULT_INTERVAL_MS = 30_000;
/** Podman accepts its own API under any version from its MinAPIVersion (4.0.0) up. */
const HEALTHCHECK_PATH = (id: string) => `/v4.0.0/libpod/containers/${encodeURIComponent(id)}/healthcheck`;

interface Modem {
  dial(options: unknown, cb: (err: unknown, data: unknown) => void): void;
}

export class PodmanHealthDriver {
  private readonly driven = new Set<string>();

  constructor(private readonly docker: Docker) {}

  /** Runs `id`'s health check at its interval until it stops running or is removed; no-op without a check. */
  async drive(id: string): Promise<void> {
    if (this.driven.has(id)) return;
    // Gone already (a quick one-shot with AutoRemove): nothing to drive.
    const info = await this.docker
      .getContainer(id)
      .inspect()
      .catch(() => undefined);
    const check = healthcheckOf(info?.Config as Parameters<typeof healthcheckOf>[0]);
    if (!check) return;
    const intervalMs = check.intervalMs ?? DEFAULT_INTERVAL_MS;
    this.driven.add(id);
    void this.loop(id, intervalMs).finally(() => this.driven.delete(id));
  }

  private async loop(id: string, intervalMs: number): Promise<void> {
    for (;;) {
      // Unref'd: a process that is done otherwise must not stay alive to run health checks.
      await new Promise((resolve) => setTimeout(resolve, intervalMs).unref());
      const outcome = await this.runOnce(id);
      if (outcome === 'gone') return;
    }
  }

  private async runOnce(id: string): Promise<'ran' | 'gone'> {
    const modem = this.docker.modem as unknown as Modem;
    const status = await new Promise<number | undefined>((resolve) => {
      modem.dial(
        { path: HEALTHCHECK_PATH(id), method: 'GET', options: {}, statusCodes: { 200: true, 404: 'no such container', 409: 'container not running', 500: 'server error' } },
        (err) => resolve((err as { statusCode?: number } | null)?.statusCode),
      );
    });
    if (status === 404) return 'gone';
    // 409: not running. Between two lives of a restart policy it comes back; otherwise it is over.
    // A 500 or a dropped connection is one missed beat, like a late timer: the next interval retries.
    if (status !== 409) return 'ran';
    const state = await this.docker
      .getContainer(id)
      .inspect()
      .then((i) => i.State)
      .catch(() => undefined);
    return state && (state.Running || state.Restarting) ? 'ran' : 'gone';
  }
}
