// The reflection codec against descriptors and messages encoded by protobufjs, an encoder
// independent of the hand-written one under test.
import * as protobuf from 'protobufjs';
import { FileDescriptorProto } from 'protobufjs/ext/descriptor/index.js';
import { describe, expect, it } from 'vitest';
import { decodeReflectionResponse, encodeReflectionRequest, servicesInFiles } from '../../../src/checks/protocols/grpc-reflection-codec.js';

const reflection = protobuf.parse(
  `syntax = "proto3"; package r;
  message Req { string host = 1; oneof m { string file_containing_symbol = 4; string list_services = 7; } }
  message Res { oneof m { Files file_descriptor_response = 4; List list_services_response = 6; Err error_response = 7; } }
  message Files { repeated bytes file_descriptor_proto = 1; }
  message List { repeated Svc service = 1; }
  message Svc { string name = 1; }
  message Err { int32 error_code = 1; string error_message = 2; }`,
  { keepCase: true },
).root;
const Req = reflection.lookupType('r.Req');
const Res = reflection.lookupType('r.Res');
const encode = (o: Record<string, unknown>) => Buffer.from(Res.encode(Res.fromObject(o)).finish());

describe('grpc reflection codec', () => {
  it('encodes the two requests it makes', () => {
    expect(Req.toObject(Req.decode(encodeReflectionRequest({ listServices: true })), { oneofs: true })).toMatchObject({ m: 'list_services', list_services: '' });
    expect(Req.toObject(Req.decode(encodeReflectionRequest({ fileContainingSymbol: 'shop.Orders' })))).toEqual({ file_containing_symbol: 'shop.Orders' });
  });

  it('decodes service lists, errors and files, and finds each service’s methods', () => {
    expect(decodeReflectionResponse(encode({ list_services_response: { service: [{ name: 'a.B' }, { name: 'c.D' }] } }))).toEqual({ services: ['a.B', 'c.D'] });
    expect(decodeReflectionResponse(encode({ error_response: { error_code: 5, error_message: 'nope' } }))).toEqual({ error: '5: nope' });

    const root = protobuf.parse(
      'syntax = "proto3"; package shop.v2; message A { int32 x = 1; } service Orders { rpc Get (A) returns (A); rpc Chat (stream A) returns (stream A); }',
      { keepCase: true },
    ).root as unknown as { toDescriptor(s: string): { file: unknown[] } };
    const file = Buffer.from(FileDescriptorProto.encode(root.toDescriptor('proto3').file[0] as never).finish());
    const res = decodeReflectionResponse(encode({ file_descriptor_response: { file_descriptor_proto: [file] } }));
    expect('files' in res && servicesInFiles(res.files)).toEqual(
      new Map([
        [
          'shop.v2.Orders',
          [
            { name: 'Get', input: 'A', output: 'A', clientStreaming: false, serverStreaming: false },
            { name: 'Chat', input: 'A', output: 'A', clientStreaming: true, serverStreaming: true },
          ],
        ],
      ]),
    );
  });
});
