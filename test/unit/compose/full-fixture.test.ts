import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadProject } from '../../../src/compose/index.js';

const dir = resolve(import.meta.dirname, '../../../fixtures/compose-full');

describe('fixtures/compose-full', () => {
  it('loads to the full normalized project', async () => {
    const loaded = await loadProject({ cwd: dir, env: { WEB_PORT: '9090' } });
    // Absolute paths vary with the checkout location.
    const json = JSON.parse(JSON.stringify(loaded).replaceAll(dir, '<dir>'));
    expect(json).toMatchInlineSnapshot(`
      {
        "allProfiles": [
          "debug",
        ],
        "composeFiles": [
          "<dir>/compose.yaml",
          "<dir>/compose.override.yaml",
        ],
        "environment": {
          "BUILD_SHA": "dev-20",
          "COMPOSE_PROJECT_NAME": "shop",
          "DB_PASSWORD": "s3cret",
          "NODE_VERSION": "20",
          "WEB_PORT": "9090",
        },
        "profiles": [],
        "project": {
          "name": "shop",
          "networks": {
            "default": {
              "name": "shop_default",
            },
          },
          "services": {
            "api": {
              "build": {
                "args": {
                  "BUILD_SHA": "dev-20",
                  "NODE_VERSION": "20",
                },
                "context": "<dir>/api",
                "dockerfile": "Dockerfile",
              },
              "command": [
                "node",
                "server.js",
                "--price-format",
                "$%.2f",
              ],
              "depends_on": {
                "cache": {
                  "condition": "service_started",
                  "required": false,
                  "restart": false,
                },
                "db": {
                  "condition": "service_healthy",
                  "required": true,
                  "restart": false,
                },
              },
              "environment": {
                "DATABASE_URL": "postgres://shop:s3cret@db:5432/shop",
                "LOG_LEVEL": "debug",
                "REDIS_URL": "redis://cache:6379",
              },
              "expose": [
                "3000",
              ],
              "healthcheck": {
                "interval": "5s",
                "retries": 5,
                "test": [
                  "CMD-SHELL",
                  "curl -fsS http://localhost:3000/health || exit 1",
                ],
                "timeout": "3s",
              },
              "logging": {
                "driver": "json-file",
                "options": {
                  "max-size": "10m",
                },
              },
              "networks": {
                "default": null,
              },
              "ports": [
                {
                  "host_ip": "127.0.0.1",
                  "mode": "ingress",
                  "protocol": "tcp",
                  "published": "3000",
                  "target": 3000,
                },
              ],
              "volumes": [
                {
                  "bind": {
                    "create_host_path": true,
                  },
                  "read_only": true,
                  "source": "<dir>/api/src",
                  "target": "/app/src",
                  "type": "bind",
                },
              ],
            },
            "cache": {
              "image": "redis:7",
              "networks": {
                "default": null,
              },
            },
            "db": {
              "environment": {
                "POSTGRES_PASSWORD": "s3cret",
                "POSTGRES_USER": "shop",
              },
              "healthcheck": {
                "interval": "5s",
                "retries": 5,
                "test": [
                  "CMD",
                  "pg_isready",
                  "-U",
                  "shop",
                ],
                "timeout": "3s",
              },
              "image": "postgres:16",
              "networks": {
                "default": null,
              },
              "volumes": [
                {
                  "source": "db-data",
                  "target": "/var/lib/postgresql/data",
                  "type": "volume",
                },
              ],
            },
            "web": {
              "depends_on": {
                "api": {
                  "condition": "service_started",
                  "required": true,
                  "restart": false,
                },
              },
              "image": "nginx:1.27",
              "labels": {
                "shop.role": "front",
              },
              "logging": {
                "driver": "json-file",
                "options": {
                  "max-size": "10m",
                },
              },
              "networks": {
                "default": null,
              },
              "ports": [
                {
                  "mode": "ingress",
                  "protocol": "tcp",
                  "published": "9090",
                  "target": 80,
                },
                {
                  "mode": "ingress",
                  "protocol": "tcp",
                  "published": "8443",
                  "target": 443,
                },
              ],
            },
          },
          "volumes": {
            "db-data": {
              "name": "shop_db-data",
            },
          },
          "x-healthcheck": {
            "interval": "5s",
            "retries": 5,
            "timeout": "3s",
          },
          "x-logging": {
            "driver": "json-file",
            "options": {
              "max-size": "10m",
            },
          },
        },
        "warnings": [],
        "workingDir": "<dir>",
      }
    `);
  });

  it('enables the debug profile and fails without the required variable', async () => {
    const withDebug = await loadProject({ cwd: dir, env: {}, profiles: ['debug'] });
    expect(Object.keys(withDebug.project.services)).toEqual(['api', 'cache', 'db', 'debug', 'web']);
    await expect(loadProject({ cwd: dir, env: {}, envFiles: ['/dev/null'] })).rejects.toThrow(
      'invalid compose project: compose.yaml:34 services.api.environment.0: required variable DB_PASSWORD is missing a value: set DB_PASSWORD in .env',
    );
  });
});
