/** Starts tiny-chat: API, socket.io and the built SPA on one port. */
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module';
import { configureApp } from './bootstrap';
import { AppConfig, ConfigError, loadConfig } from './config/app-config';

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
  const app = await NestFactory.create<NestExpressApplication>(AppModule);
  const config = app.get(AppConfig);
  configureApp(app, config);
  await app.listen(config.port, config.host);
  Logger.log(`tiny-chat listening on http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port}`, 'Main');
}



// @socket.io/redis-adapter publishes without handling the promise: while Redis is down a broadcast
// rejects unhandled, which would end the process. Log it and keep serving; Redis comes back by itself.
process.on('unhandledRejection', (reason) => {
  Logger.error(`unhandled rejection: ${reason instanceof Error ? reason.message : String(reason)}`, 'Main');
});

void main();
