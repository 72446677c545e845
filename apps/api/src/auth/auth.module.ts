/** Owns sign-in: the session store and sessions (global: rooms and the gateway ask who is signed in), the OIDC flow and its routes. */
import { Global, Module } from '@nestjs/common';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { AuthController } from './auth.controller';
import { InMemorySessionStore } from './in-memory-session-store';
import { OidcLogin } from './oidc-login';
import { OidcOnlyGuard } from './oidc-only.guard';
import { RedisSessionStore } from './redis-session-store';
import { SessionStore } from './session-store';
import { Sessions } from './sessions';

@Global()
@Module({
  controllers: [AuthController],
  providers: [
    {
      // Sessions live where the rooms do (STORE): with Redis a session made on one instance works on every other.
      provide: SessionStore,
      inject: [AppConfig, Clock],
      useFactory: (config: AppConfig, clock: Clock): SessionStore =>
        config.store === 'memory'
          ? new InMemorySessionStore(clock)
          : new RedisSessionStore(config.redisTarget, config.redisKeyPrefix),
    },
    Sessions,
    OidcLogin,
    OidcOnlyGuard,
  ],
  exports: [Sessions, OidcOnlyGuard],
})
export class AuthModule {}
