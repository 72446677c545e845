import type { IncomingMessage } from 'node:http';
import { clientAddressResolver } from './client-address';

const request = (peer: string, forwardedFor?: string) =>
  ({
    socket: { remoteAddress: peer },
    connection: { remoteAddress: peer },
    headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {},
  }) as unknown as IncomingMessage;

describe('clientAddressResolver', () => {
  it('answers the peer address and ignores X-Forwarded-For when TRUST_PROXY is off', () => {
    expect(clientAddressResolver(false)(request('203.0.113.9', '198.51.100.1'))).toBe('203.0.113.9');
  });

  it('believes X-Forwarded-For only through the trusted proxies, by hop count or by address', () => {
    expect(clientAddressResolver(1)(request('10.0.0.5', '198.51.100.7, 198.51.100.1'))).toBe('198.51.100.1');
    const byAddress = clientAddressResolver('loopback, 10.0.0.0/8');
    expect(byAddress(request('10.0.0.5', '198.51.100.7, 198.51.100.1'))).toBe('198.51.100.1');
    // A client reaching the server directly cannot pick its address.
    expect(byAddress(request('203.0.113.9', '198.51.100.1'))).toBe('203.0.113.9');
  });
});
