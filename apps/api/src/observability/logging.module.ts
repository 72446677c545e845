/**
 * Structured logs for the running server (main.ts): one pino-http line per request, and Nest's logger as pino JSON
 * (nestjs-pino's Logger); tests keep Nest's quiet console logger.
 *
 * Not nestjs-pino's LoggerModule: its middleware runs every request inside an AsyncLocalStorage so that lines logged
 * during a request carry it, and on Node 20 the first such run switches on a promise hook for the whole process,
 * which then costs every promise of the chat path (measured in docs/benchmark.md). Here the
 * request line carries the request id, and the one line logged inside a request (an unexpected error's stack, see
 * HttpErrorFilter) names it itself.
 */
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { Global, Inject, type INestApplicationContext, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { Logger, PARAMS_PROVIDER_TOKEN, type Params, PinoLogger } from 'nestjs-pino';
import { destination } from 'pino';
import { pinoHttp, type Options } from 'pino-http';
import { AppConfig } from '../config/app-config';
import { loggerParams } from './logging';

@Global()
@Module({
  providers: [
    {
      provide: PARAMS_PROVIDER_TOKEN,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => withDestination(loggerParams(config)),
    },
    PinoLogger,
    Logger,
  ],
  exports: [Logger],
})
export class LoggingModule implements NestModule {
  constructor(@Inject(PARAMS_PROVIDER_TOKEN) private readonly params: Params) {}

  configure(consumer: MiddlewareConsumer): void {
    const settings = this.params.pinoHttp;
    const middleware = Array.isArray(settings) ? pinoHttp(...settings) : pinoHttp(settings as Options);
    consumer.apply(middleware).forRoutes(...(this.params.forRoutes ?? ['{*path}']));
  }
}

/**
 * Ends the destination Nest's JSON lines go to (the one this module made, or a test's) and resolves once everything
 * logged is written, or after `waitMs`. pino writes asynchronously: exiting with a write in flight let the last lines
 * (written by pino's exit hook at once) overtake it in the log, e.g. "stopped" before "drained".
 */
export async function endNestLogs(app: INestApplicationContext, waitMs: number): Promise<void> {
  const { pinoHttp } = app.get<Params>(PARAMS_PROVIDER_TOKEN);
  const stream = (Array.isArray(pinoHttp) ? pinoHttp[1] : undefined) as LogDestination | undefined;
  if (typeof stream?.end !== 'function' || typeof stream.once !== 'function') return;
  const closed = once(stream, 'close');
  stream.end();
  await Promise.race([closed, sleep(waitMs, undefined, { ref: false })]);
}

type LogDestination = NodeJS.EventEmitter & { end?: () => void };

/**
 * The JSON lines go to a destination made here (asynchronous, on stdout), so that the exit can end it through its
 * public API; a pretty-printing transport (a terminal) keeps pino's own.
 */
function withDestination(params: Params): Params {
  const options = params.pinoHttp as Options;
  if (options.transport) return params;
  return { ...params, pinoHttp: [options, destination({ dest: 1, sync: false })] };
}
