// Protocol key → implementation. The mapped type makes a missing or mistyped protocol a compile error.
import { amqpProtocol } from './protocols/amqp.js';
import { grpcProtocol } from './protocols/grpc.js';
import { httpProtocol } from './protocols/http.js';
import { mqttProtocol } from './protocols/mqtt.js';
import { mysqlProtocol } from './protocols/mysql.js';
import { natsProtocol } from './protocols/nats.js';
import { postgres } from './protocols/postgres.js';
import { redis } from './protocols/redis.js';
import { tcp } from './protocols/tcp.js';
import type { ProtocolRegistry } from './types.js';

export const protocols: ProtocolRegistry = {
  tcp,
  http: httpProtocol,
  grpc: grpcProtocol,
  postgres,
  mysql: mysqlProtocol,
  redis,
  amqp: amqpProtocol,
  nats: natsProtocol,
  mqtt: mqttProtocol,
};
