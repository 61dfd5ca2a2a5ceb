import { describe, expect, it } from 'vitest';
import { baseImages } from '../../../src/orchestrator/images/build-hash.js';

describe('baseImages: what a Dockerfile builds from', () => {
  it('names FROM and COPY --from images, leaves out its own stages, scratch and stage numbers', () => {
    const dockerfile = [
      'FROM golang:1.22 AS build',
      'RUN go build',
      'FROM --platform=linux/amd64 debian:bookworm AS runtime',
      'COPY --from=build /out /app',
      'COPY --from=0 /x /y',
      'COPY --from=nginx:1.27 /etc/nginx /etc/nginx',
      'FROM scratch',
      'COPY --from=runtime /app /app',
    ].join('\n');
    expect(baseImages(dockerfile, {})).toEqual(['debian:bookworm', 'golang:1.22', 'nginx:1.27']);
  });

  it('puts in build arguments and the defaults of ARGs declared before the first FROM', () => {
    const dockerfile = 'ARG BASE=debian\nARG TAG\nFROM ${BASE}:$TAG\nARG LATE=x\n';
    expect(baseImages(dockerfile, { TAG: 'bookworm' })).toEqual(['debian:bookworm']);
    expect(baseImages(dockerfile, { BASE: 'ubuntu', TAG: '24.04' })).toEqual(['ubuntu:24.04']);
  });

  it('gives up (no hash, the build runs) when a base image is named through an unknown variable', () => {
    expect(baseImages('FROM $UNKNOWN\n', {})).toBeUndefined();
  });
});
