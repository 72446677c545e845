/** For specs: a Nest app with tiny-chat's LoggingModule at LOG_LEVEL=info, writing its JSON lines to `stream`. */
import type { INestApplication, Type } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Logger, PARAMS_PROVIDER_TOKEN } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import type { Options } from 'pino-http';
import { AppConfig, loadConfig } from '../config/app-config';
import { ConfigModule } from '../config/config.module';
import { loggerParams } from '../observability/logging';
import { LoggingModule } from '../observability/logging.module';

export async function appWithLogging(module: Type, stream: DestinationStream): Promise<INestApplication> {
  const config = loadConfig({ LOG_LEVEL: 'info' });
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
