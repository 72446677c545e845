/** Structured logs for the running server (main.ts): nestjs-pino with one line per request; tests keep Nest's quiet console logger. */
import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { AppConfig } from '../config/app-config';
import { loggerParams } from './logging';

@Module({
  imports: [
    LoggerModule.forRootAsync({ inject: [AppConfig], useFactory: (config: AppConfig) => loggerParams(config) }),
  ],
})
export class LoggingModule {}
