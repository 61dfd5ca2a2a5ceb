// grpc.reflection.v1(alpha) ServerReflectionInfo messages, and the parts of FileDescriptorProto
// that say which services and methods a server has.
//   ServerReflectionRequest  { string host = 1; oneof { string file_containing_symbol = 4; string list_services = 7; } }
//   ServerReflectionResponse { ...; FileDescriptorResponse file_descriptor_response = 4;
//                              ListServiceResponse list_services_response = 6; ErrorResponse error_response = 7; }
//   FileDescriptorResponse { repeated bytes file_descriptor_proto = 1; }
//   ListServiceResponse { repeated ServiceResponse service = 1; }  ServiceResponse { string name = 1; }
//   ErrorResponse { int32 error_code = 1; string error_message = 2; }
//   FileDescriptorProto { string package = 2; repeated ServiceDescriptorProto service = 6; }
//   ServiceDescriptorProto { string name = 1; repeated MethodDescriptorProto method = 2; }
//   MethodDescriptorProto { string name = 1; string input_type = 2; string output_type = 3;
//                           bool client_streaming = 5; bool server_streaming = 6; }
import { bytesField, readFields, text } from './protobuf-wire.js';

export type ReflectionRequest = { listServices: true } | { fileContainingSymbol: string };

export type ReflectionResponse =
  | { services: string[] }
  | { files: Buffer[] }
  | { error: string };

export interface MethodInfo {
  name: string;
  input: string;
  output: string;
  clientStreaming: boolean;
  serverStreaming: boolean;
}

export function encodeReflectionRequest(req: ReflectionRequest): Buffer {
  return 'listServices' in req ? bytesField(7, '') : bytesField(4, req.fileContainingSymbol);
}

export function decodeReflectionResponse(buf: Buffer): ReflectionResponse {
  for (const f of readFields(buf)) {
    if (!Buffer.isBuffer(f.value)) continue;
    if (f.field === 6) {
      const services = readFields(f.value)
        .filter((s) => s.field === 1 && Buffer.isBuffer(s.value))
        .map((s) => text(readFields(s.value as Buffer).find((n) => n.field === 1)?.value));
      return { services };
    }
    if (f.field === 4) return { files: readFields(f.value).filter((d) => d.field === 1 && Buffer.isBuffer(d.value)).map((d) => d.value as Buffer) };
    if (f.field === 7) {
      const fields = readFields(f.value);
      return { error: `${fields.find((e) => e.field === 1)?.value ?? '?'}: ${text(fields.find((e) => e.field === 2)?.value)}` };
    }
  }
  return { error: 'empty reflection response' };
}

/** Full service name (package.Service) → its methods, from serialized FileDescriptorProtos. */
export function servicesInFiles(files: Buffer[]): Map<string, MethodInfo[]> {
  const services = new Map<string, MethodInfo[]>();
  for (const file of files) {
    const fields = readFields(file);
    const pkg = text(fields.find((f) => f.field === 2)?.value);
    for (const s of fields.filter((f) => f.field === 6 && Buffer.isBuffer(f.value))) {
      const sf = readFields(s.value as Buffer);
      const name = text(sf.find((f) => f.field === 1)?.value);
      const methods = sf
        .filter((f) => f.field === 2 && Buffer.isBuffer(f.value))
        .map((m) => {
          const mf = readFields(m.value as Buffer);
          const get = (n: number) => mf.find((f) => f.field === n)?.value;
          return {
            name: text(get(1)),
            input: text(get(2)).replace(/^\./, ''),
            output: text(get(3)).replace(/^\./, ''),
            clientStreaming: get(5) === 1,
            serverStreaming: get(6) === 1,
          };
        });
      services.set(pkg ? `${pkg}.${name}` : name, methods);
    }
  }
  return services;
}
