/** Owns sign-in: sessions (global: rooms and the gateway ask who is signed in), the OIDC flow and its routes. */
import { Global, Module } from '@nestjs/common';
import { AuthController } from './auth.controller';
import { MeController } from './me.controller';
import { OidcLogin } from './oidc-login';
import { OidcOnlyGuard } from './oidc-only.guard';
import { Sessions } from './sessions';

@Global()
@Module({
  controllers: [AuthController, MeController],
  providers: [Sessions, OidcLogin, OidcOnlyGuard],
  exports: [Sessions],
})
export class AuthModule {}
