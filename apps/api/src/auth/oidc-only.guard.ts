/** Routes that exist only with AUTH_MODE=oidc: with none they answer 404 NOT_FOUND like any unknown route. */
import { CanActivate, Injectable, NotFoundException } from '@nestjs/common';
import { AppConfig } from '../config/app-config';

@Injectable()
export class OidcOnlyGuard implements CanActivate {
  constructor(private readonly config: AppConfig) {}

  canActivate(): boolean {
    if (this.config.auth.mode !== 'oidc') throw new NotFoundException();
    return true;
  }
}
