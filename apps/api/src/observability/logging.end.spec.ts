import { Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Logger, PARAMS_PROVIDER_TOKEN } from 'nestjs-pino';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { destination } from 'pino';
import type { Options } from 'pino-http';
import { AppConfig, loadConfig } from '../config/app-config';
import { ConfigModule } from '../config/config.module';
import { loggerParams } from './logging';
import { endNestLogs, LoggingModule } from './logging.module';

@Module({})
class EmptyModule {}

describe('endNestLogs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tiny-chat-logs-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('resolves once every line logged before it is in the file, the last one last', async () => {
    const file = join(dir, 'nest.log');
    const config = loadConfig({ LOG_LEVEL: 'info' });
    const params = loggerParams(config, false);
    // An asynchronous destination, like pino's default for stdout.
    const stream = destination({ dest: file, sync: false, mkdir: true });
    const moduleRef = await Test.createTestingModule({ imports: [ConfigModule, LoggingModule, EmptyModule] })
      .overrideProvider(AppConfig)
      .useValue(config)
      .overrideProvider(PARAMS_PROVIDER_TOKEN)
      .useValue({ ...params, pinoHttp: [params.pinoHttp as Options, stream] })
      .compile();
    const app = moduleRef.createNestApplication({ bufferLogs: true });
    app.useLogger(app.get(Logger));
    await app.init();
    const logger = app.get(Logger);
    for (let n = 1; n <= 2000; n++) logger.log({ msg: `line ${n}`, padding: 'x'.repeat(200) }, 'Probe');
    logger.log('stopped', 'Main');
    await endNestLogs(app, 5000);
    const lines = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { msg: string; context?: string })
      .filter((line) => line.context === 'Probe' || line.context === 'Main');
    expect(lines).toHaveLength(2001);
    expect(lines[1999]?.msg).toBe('line 2000');
    expect(lines[2000]).toMatchObject({ msg: 'stopped', context: 'Main' });
    await app.close();
  });
});
