import { describe, expect, it } from 'vitest';
import { parsePortShort } from '../../../src/compose/normalize/ports.js';
import { shellSplit } from '../../../src/compose/normalize/shell-split.js';
import { parseVolumeShort } from '../../../src/compose/normalize/volumes.js';

describe('ports short syntax', () => {
  it.each([
    ['80', [{ mode: 'ingress', target: 80, protocol: 'tcp' }]],
    [80, [{ mode: 'ingress', target: 80, protocol: 'tcp' }]],
    ['8080:80', [{ mode: 'ingress', target: 80, published: '8080', protocol: 'tcp' }]],
    ['127.0.0.1:8080:80/udp', [{ mode: 'ingress', host_ip: '127.0.0.1', target: 80, published: '8080', protocol: 'udp' }]],
    ['127.0.0.1::80', [{ mode: 'ingress', host_ip: '127.0.0.1', target: 80, protocol: 'tcp' }]],
    ['[::1]:8080:80', [{ mode: 'ingress', host_ip: '::1', target: 80, published: '8080', protocol: 'tcp' }]],
    ['8000-8001:80', [{ mode: 'ingress', target: 80, published: '8000-8001', protocol: 'tcp' }]],
    [
      '9090-9091:8080-8081',
      [
        { mode: 'ingress', target: 8080, published: '9090', protocol: 'tcp' },
        { mode: 'ingress', target: 8081, published: '9091', protocol: 'tcp' },
      ],
    ],
    [
      '3000-3001',
      [
        { mode: 'ingress', target: 3000, protocol: 'tcp' },
        { mode: 'ingress', target: 3001, protocol: 'tcp' },
      ],
    ],
  ])('%s', (spec, expected) => {
    expect(parsePortShort(spec)).toEqual(expected);
  });

  it.each([
    ['80/http', 'protocol "http" in "80/http" must be tcp, udp or sctp'],
    ['a:b', '"a:b": "b" is not a port number or range'],
    ['70000', '"70000": port 70000 is out of range 0-65535'],
    ['1:2:3:4', '"1:2:3:4" is not a port mapping; expected [[HOST_IP:]HOST_PORT:]CONTAINER_PORT[/PROTOCOL], e.g. "8080:80" or "127.0.0.1:8080:80/udp"'],
    ['9090-9092:8080-8081', '"9090-9092:8080-8081": host range and container range must be the same length'],
  ])('%s is refused', (spec, message) => {
    expect(() => parsePortShort(spec)).toThrow(message);
  });
});

describe('volumes short syntax', () => {
  it.each([
    ['/data', { type: 'volume', target: '/data' }],
    ['db:/var/lib/db', { type: 'volume', source: 'db', target: '/var/lib/db' }],
    ['db:/var/lib/db:nocopy', { type: 'volume', source: 'db', target: '/var/lib/db', volume: { nocopy: true } }],
    ['./conf:/etc/conf:ro', { type: 'bind', source: './conf', target: '/etc/conf', read_only: true, bind: { create_host_path: true } }],
    ['/abs:/in:rw,z', { type: 'bind', source: '/abs', target: '/in', bind: { create_host_path: true, selinux: 'z' } }],
  ])('%s', (spec, expected) => {
    expect(parseVolumeShort(spec)).toEqual(expected);
  });

  it('refuses unknown options', () => {
    expect(() => parseVolumeShort('db:/x:bogus')).toThrow('"db:/x:bogus": unknown volume option "bogus"; expected ro, rw or nocopy');
  });
});

describe('shellSplit', () => {
  it.each([
    ['npm start', ['npm', 'start']],
    ['  spaced   out  ', ['spaced', 'out']],
    [`sh -c "echo 'hi there' && exit 1"`, ['sh', '-c', "echo 'hi there' && exit 1"]],
    [`echo 'a "b"' c\\ d`, ['echo', 'a "b"', 'c d']],
    [`echo "esc \\" \\$HOME"`, ['echo', 'esc " $HOME']],
    [`a '' b`, ['a', '', 'b']],
  ])('%s', (text, expected) => {
    expect(shellSplit(text)).toEqual(expected);
  });

  it('refuses unterminated quotes', () => {
    expect(() => shellSplit(`echo "oops`)).toThrow('unterminated double quote in "echo \\"oops"');
  });
});
