import { Controller, Get, Module, type INestApplication } from '@nestjs/common';
import { Logger } from 'nestjs-pino';
import { storage } from 'nestjs-pino/storage';
import { Writable } from 'node:stream';
import { appWithLogging } from '../testing/logging-app';

@Controller('probe')
class ProbeController {
  static seen: unknown = 'not called';
  @Get()
  probe(): { ok: true } {
    ProbeController.seen = storage.getStore();
    return { ok: true };
  }
}

@Module({ controllers: [ProbeController] })
class ProbeModule {}

interface Line {
  msg?: string;
  context?: string;
  req?: { id: string; url: string };
  res?: { statusCode: number };
}

describe('LoggingModule', () => {
  let app: INestApplication;
  const lines: Line[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n')) if (line.trim()) lines.push(JSON.parse(line) as Line);
      done();
    },
  });

  beforeAll(async () => {
    app = await appWithLogging(ProbeModule, sink);
    await app.listen(0, '127.0.0.1');
  });
  afterAll(async () => {
    await app.close();
  });

  it('logs each request with its id, and runs no request inside an AsyncLocalStorage', async () => {
    const response = await fetch(`${await app.getUrl()}/probe`, { headers: { 'x-request-id': 'probe-1' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toBe('probe-1');
    // nestjs-pino's LoggerModule would run the handler inside its store (and switch on a process-wide promise hook).
    expect(ProbeController.seen).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(lines.find((line) => line.req)).toMatchObject({
      req: { id: 'probe-1', url: '/probe' },
      res: { statusCode: 200 },
    });
  });

  it("writes Nest's own log lines as JSON with their context", async () => {
    app.get(Logger).log('probe says hello', 'Probe');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(lines).toContainEqual(expect.objectContaining({ msg: 'probe says hello', context: 'Probe' }));
  });
});
