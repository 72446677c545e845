import pino from 'pino';
import { Writable } from 'node:stream';
import { loadConfig } from '../config/app-config';
import { loggerParams, prettyTarget, REDACTED_PATHS, redactUrl } from './logging';

function capture(level: string) {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { logger: pino({ level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, stream), lines };
}

describe('logger settings', () => {
  it('redacts tokens, message text and credentials wherever a payload puts them', () => {
    const { logger, lines } = capture('debug');
    logger.debug({
      userToken: 'tok-1',
      text: 'txt-1',
      payload: { userToken: 'tok-2', text: 'txt-2' },
      a: { b: { userToken: 'tok-3' } },
    });
    logger.info({ req: { headers: { authorization: 'Bearer tok-4', cookie: 'sid=tok-5' } } });
    const out = lines.join('');
    for (const secret of ['tok-1', 'txt-1', 'tok-2', 'txt-2', 'tok-3', 'tok-4', 'tok-5'])
      expect(out).not.toContain(secret);
    expect(out).toContain('[redacted]');
  });

  it('takes its level from LOG_LEVEL and pretty-prints only for a terminal', () => {
    const config = loadConfig({ LOG_LEVEL: 'warn' });
    const piped = loggerParams(config, false).pinoHttp as { level: string; transport?: unknown };
    expect(piped.level).toBe('warn');
    expect(piped.transport).toBeUndefined();
    expect(prettyTarget(false)).toBeUndefined();
    // pino-pretty is a devDependency, installed here.
    expect(prettyTarget(true)).toMatch(/pino-pretty/);
    const tty = loggerParams(config, true).pinoHttp as { transport?: { target: string } };
    expect(tty.transport?.target).toMatch(/pino-pretty/);
  });

  it('keeps the OIDC callback code and state out of logged URLs, other URLs whole', () => {
    expect(redactUrl('/api/auth/callback?code=abc&state=def')).toBe('/api/auth/callback?[redacted]');
    expect(redactUrl('/api/auth/callback')).toBe('/api/auth/callback');
    expect(redactUrl('/api/auth/login?returnTo=%2Fr%2Fx')).toBe('/api/auth/login?returnTo=%2Fr%2Fx');
    const serializers = (
      loggerParams(loadConfig({}), false).pinoHttp as { serializers: Record<string, (req: object) => unknown> }
    ).serializers;
    expect(serializers['req']?.({ url: '/api/auth/callback?code=abc' })).toEqual({
      url: '/api/auth/callback?[redacted]',
    });
  });
});
