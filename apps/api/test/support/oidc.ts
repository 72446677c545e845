/** A real OpenID provider (oidc-provider, child process) and a cookie-keeping HTTP client that walks its redirects. */
import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from './instances';

export const CLIENT_ID = 'tiny-chat';
export const CLIENT_SECRET = 'tiny-chat-test-client-secret';
/** 32+ characters, as AUTH_MODE=oidc requires. */
export const SESSION_SECRET = 'test-session-secret-0123456789abcdef';

export interface OidcProvider {
  issuer: string;
  stop(): Promise<void>;
}

/** Starts the provider with `redirectUris` registered for the test client; resolves once it listens. */
export async function startOidcProvider(redirectUris: string[]): Promise<OidcProvider> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [join(__dirname, 'oidc-provider.mjs')], {
    env: { ...process.env, PORT: String(port), REDIRECT_URIS: JSON.stringify(redirectUris) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('oidc-provider did not start within 15 s')), 15_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('READY')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => reject(new Error(`oidc-provider exited with ${code}`)));
  });
  child.stderr?.resume();
  return {
    issuer: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      }),
  };
}

/** Environment for an API instance signing in against `issuer`, reachable at `publicUrl`. */
export function oidcEnv(issuer: string, publicUrl: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    AUTH_MODE: 'oidc',
    OIDC_ISSUER: issuer,
    OIDC_CLIENT_ID: CLIENT_ID,
    OIDC_CLIENT_SECRET: CLIENT_SECRET,
    PUBLIC_URL: publicUrl,
    SESSION_SECRET,
    ...extra,
  };
}

interface StoredCookie {
  value: string;
  path: string;
}

/**
 * What a browser does with cookies and redirects, for one user: cookies per host (ports share them, as in
 * browsers), paths honoured, Max-Age=0 deletes; redirects are followed by hand so each hop can be inspected.
 */
export class Browser {
  private readonly jar = new Map<string, Map<string, StoredCookie>>();

  cookieHeader(url: string): string {
    const { hostname, pathname } = new URL(url);
    const cookies = this.jar.get(hostname) ?? new Map<string, StoredCookie>();
    return [...cookies]
      .filter(([, c]) => pathname === c.path || pathname.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`))
      .map(([name, c]) => `${name}=${c.value}`)
      .join('; ');
  }

  /** The raw value of a cookie for a host (URL-encoded as sent), or undefined. */
  cookie(url: string, name: string): string | undefined {
    return this.jar.get(new URL(url).hostname)?.get(name)?.value;
  }

  setCookie(url: string, name: string, value: string, path = '/'): void {
    const host = new URL(url).hostname;
    const cookies = this.jar.get(host) ?? new Map<string, StoredCookie>();
    cookies.set(name, { value, path });
    this.jar.set(host, cookies);
  }

  /** One request, no redirect followed; Set-Cookie goes into the jar. */
  async request(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    const cookie = this.cookieHeader(url);
    if (cookie !== '' && !headers.has('cookie')) headers.set('cookie', cookie);
    const response = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const line of response.headers.getSetCookie()) this.store(url, line);
    return response;
  }

  private store(url: string, line: string): void {
    const [pair = '', ...attributes] = line.split(';').map((part) => part.trim());
    const eq = pair.indexOf('=');
    const name = pair.slice(0, eq);
    const value = pair.slice(eq + 1);
    const attr = (key: string) =>
      attributes.find((a) => a.toLowerCase().startsWith(`${key}=`))?.slice(key.length + 1) ?? undefined;
    const path = attr('path') ?? '/';
    const expires = attr('expires');
    const gone = attr('max-age') === '0' || (expires !== undefined && Date.parse(expires) <= Date.now());
    const host = new URL(url).hostname;
    const cookies = this.jar.get(host) ?? new Map<string, StoredCookie>();
    if (gone) cookies.delete(name);
    else cookies.set(name, { value, path });
    this.jar.set(host, cookies);
  }
}

export interface FlowResult {
  /** Every URL requested, in order. */
  hops: string[];
  /** The last response: the API's final 302 (its Location), or whatever stopped the walk. */
  last: Response;
  /** Where the API sent the browser at the end (Location of the callback's 302). */
  location: string;
}

/**
 * Signs in at `apiUrl` as `login` through the provider's development login and consent pages, following every
 * redirect until the API's callback answers. `cancel` aborts at the provider instead (access_denied).
 * `stopAtCallback` returns before the callback is requested (its URL is the last hop) for replay tests.
 */
export async function signIn(
  browser: Browser,
  apiUrl: string,
  login: string,
  options: { returnTo?: string; cancel?: boolean; stopAtCallback?: boolean } = {},
): Promise<FlowResult> {
  const hops: string[] = [];
  const query = options.returnTo === undefined ? '' : `?returnTo=${encodeURIComponent(options.returnTo)}`;
  let url = `${apiUrl}/api/auth/login${query}`;
  let init: RequestInit = {};
  for (let step = 0; step < 20; step++) {
    const isCallback = new URL(url).pathname === '/api/auth/callback';
    hops.push(url);
    if (isCallback && options.stopAtCallback) return { hops, last: new Response(null), location: '' };
    const response = await browser.request(url, init);
    init = {};
    const location = response.headers.get('location');
    if (isCallback) return { hops, last: response, location: location ?? '' };
    if (response.status >= 300 && response.status < 400 && location) {
      url = new URL(location, url).href;
      continue;
    }
    const page = await response.text();
    if (response.status !== 200 || !new URL(url).pathname.startsWith('/interaction/'))
      return { hops, last: response, location: '' };
    if (options.cancel) {
      url = `${url.replace(/\/$/, '')}/abort`;
      continue;
    }
    const prompt = /name="prompt" value="(\w+)"/.exec(page)?.[1];
    const body = prompt === 'login' ? new URLSearchParams({ prompt, login, password: 'any' }) : `prompt=consent`;
    init = { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' } };
  }
  throw new Error(`sign-in did not finish: ${hops.join(' -> ')}`);
}
