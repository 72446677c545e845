/** Starts tiny-chat: API, socket.io and the built SPA on one port, with JSON logs; drains on SIGTERM/SIGINT. */
import { Logger, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger as PinoLogger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { configureApp } from './bootstrap';
import { AppConfig, ConfigError, loadConfig } from './config/app-config';
import { DrainService } from './health/drain.service';
import { endNestLogs, LoggingModule } from './observability/logging.module';

/** The app plus what only a real server wants: structured logs of every request. */
@Module({ imports: [LoggingModule, AppModule] })
class ServerModule {}

/** What closing the app (store connections, sockets, HTTP) may take of the grace period, at most. */
const CLOSE_RESERVE_MS = 2000;
/** How long the exit waits for the last log lines to be written, at most (within the grace period). */
const LOG_FLUSH_MS = 500;

async function main(): Promise<void> {
  try {
    loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const app = await NestFactory.create<NestExpressApplication>(ServerModule, {
    bufferLogs: true,
    // A provider that refuses to start (an old Redis) rejects here, so main says why and exits 1 (not abort()).
    abortOnError: false,
  });
  app.useLogger(app.get(PinoLogger));
  const config = app.get(AppConfig);
  configureApp(app, config);
  await app.listen(config.port, config.host);
  stopOnSignals(app, config.shutdownGraceSec * 1000);
  Logger.log(
    `tiny-chat listening on http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port}`,
    'Main',
  );
}

/**
 * First SIGTERM/SIGINT: drain (readiness fails, new work refused, clients told to reconnect, in-flight acks
 * sent), close, exit 0, all within the grace period or exit 1 when it runs out. A second signal exits at once.
 */
function stopOnSignals(app: NestExpressApplication, graceMs: number): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      Logger.warn(`${signal} again: exiting without waiting`, 'Main');
      process.exit(1);
    }
    stopping = true;
    const deadline = Date.now() + graceMs;
    Logger.log(`${signal}: shutting down within ${graceMs} ms`, 'Main');
    setTimeout(() => {
      Logger.error('shutdown grace period over: exiting with work left', 'Main');
      process.exit(1);
    }, graceMs).unref();
    void (async () => {
      await app.get(DrainService).drain(deadline - Math.min(CLOSE_RESERVE_MS, graceMs / 4));
      await app.close();
      Logger.log('stopped', 'Main');
      await endNestLogs(app, Math.max(0, Math.min(LOG_FLUSH_MS, deadline - Date.now())));
      process.exit(0);
    })().catch((error: unknown) => {
      Logger.error(`shutdown failed: ${error instanceof Error ? error.message : String(error)}`, 'Main');
      process.exit(1);
    });
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

// @socket.io/redis-adapter publishes without handling the promise: while Redis is down a broadcast
// rejects unhandled, which would end the process. Log it and keep serving; Redis comes back by itself.
process.on('unhandledRejection', (reason) => {
  Logger.error(`unhandled rejection: ${reason instanceof Error ? reason.message : String(reason)}`, 'Main');
});

main().catch((error: unknown) => {
  // Start-up failed (port taken, address not available...): say why on stderr, synchronously, and exit non-zero.
  // Left to the unhandledRejection logger above, the process would end with 0 and its log line unflushed.
  console.error(`tiny-chat failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
