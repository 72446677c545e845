/** For specs: a Nest app with tiny-chat's LoggingModule at LOG_LEVEL=info, writing its JSON lines to `stream`. */
import { Module, type INestApplication, type Type } from '@nestjs/common';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Test } from '@nestjs/testing';
import { Logger, PARAMS_PROVIDER_TOKEN } from 'nestjs-pino';
import { destination, type DestinationStream } from 'pino';
import type { Options } from 'pino-http';
import { AppConfig, loadConfig } from '../config/app-config';
import { ConfigModule } from '../config/config.module';
import { loggerParams } from '../observability/logging';
import { endNestLogs, LoggingModule } from '../observability/logging.module';

export async function appWithLogging(
  module: Type,
  stream: DestinationStream,
  env: Record<string, string> = {},
): Promise<INestApplication> {
  const config = loadConfig({ LOG_LEVEL: 'info', ...env });
  const params = loggerParams(config, false);
  const moduleRef = await Test.createTestingModule({ imports: [ConfigModule, LoggingModule, module] })
    .overrideProvider(AppConfig)
    .useValue(config)
    .overrideProvider(PARAMS_PROVIDER_TOKEN)
    .useValue({ ...params, pinoHttp: [params.pinoHttp as Options, stream] })
    .compile();
  const app = moduleRef.createNestApplication({ bufferLogs: true });
  app.useLogger(app.get(Logger));
  return app;
}

@Module({})
class EmptyModule {}

/**
 * Logs 2,000 lines and 'stopped' through an app on an asynchronous file destination (like pino's default for stdout),
 * calls endNestLogs as the exit does, and answers the lines of the file that those calls wrote, in file order.
 */
export async function linesLeftAtExit(env: Record<string, string>): Promise<Array<{ msg: string; context?: string }>> {
  const dir = mkdtempSync(join(tmpdir(), 'tiny-chat-logs-'));
  try {
    const file = join(dir, 'nest.log');
    const app = await appWithLogging(EmptyModule, destination({ dest: file, sync: false, mkdir: true }), env);
    await app.init();
    const logger = app.get(Logger);
    for (let n = 1; n <= 2000; n++) logger.log({ msg: `line ${n}`, padding: 'x'.repeat(200) }, 'Probe');
    logger.log('stopped', 'Main');
    await endNestLogs(app, 5000);
    await app.close();
    return readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { msg: string; context?: string })
      .filter((line) => line.context === 'Probe' || line.context === 'Main');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
