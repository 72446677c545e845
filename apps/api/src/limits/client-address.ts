/**
 * The client address of a raw HTTP request (a socket.io handshake never reaches express, so `req.ip` is not there):
 * the peer's, or the one a trusted proxy put in X-Forwarded-For, by express' own rule (proxy-addr) and TRUST_PROXY.
 */
import type { IncomingMessage } from 'node:http';
import proxyaddr from 'proxy-addr';

export type ClientAddressOf = (request: IncomingMessage) => string;

export function clientAddressResolver(trustProxy: false | number | string): ClientAddressOf {
  if (trustProxy === false) return (request) => request.socket.remoteAddress ?? '';
  // express compiles a hop count to "the first n hops"; addresses and names go through proxy-addr's compiler.
  const trust =
    typeof trustProxy === 'number'
      ? (_address: string, hop: number) => hop < trustProxy
      : proxyaddr.compile(trustProxy.split(',').map((entry) => entry.trim()));
  return (request) => proxyaddr(request, trust);
}
