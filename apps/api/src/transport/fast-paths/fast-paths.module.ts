/** Provides the process' FastPaths, switched by FAST_PATHS (see fast-paths.ts). */
import { Global, Module } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { FastPaths } from './fast-paths';

@Global()
@Module({
  providers: [
    { provide: FastPaths, inject: [AppConfig], useFactory: (config: AppConfig) => new FastPaths(config.fastPaths) },
  ],
  exports: [FastPaths],
})
export class FastPathsModule {}
