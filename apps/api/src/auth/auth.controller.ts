/** REST for sign-in: who am I, the OpenID Connect redirect and callback, and sign-out. */
import { Controller, Get, HttpCode, Logger, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import {
  ApiCookieAuth,
  ApiFoundResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import type { AuthMeResponse } from '@tiny-chat/shared-types';
import type { Request, Response } from 'express';
import { AppConfig } from '../config/app-config';
import { ErrorResponseDto } from '../common/error-response.dto';
import { AuthMeDto } from './dto/auth.dto';
import { LOGIN_COOKIE, LOGIN_TTL_MS, LoginFailedError, OidcLogin } from './oidc-login';
import { OidcOnlyGuard } from './oidc-only.guard';
import { SESSION_SCHEME, Sessions } from './sessions';

const ONLY_WITH_OIDC = { type: ErrorResponseDto, description: 'NOT_FOUND with AUTH_MODE=none' };

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  private readonly logger = new Logger(AuthController.name);

  constructor(
    private readonly config: AppConfig,
    private readonly sessions: Sessions,
    private readonly oidc: OidcLogin,
  ) {}

  @Get('me')
  @ApiCookieAuth(SESSION_SCHEME)
  @ApiOkResponse({ type: AuthMeDto, description: 'The sign-in mode, the signed-in user or null, the per-user cap.' })
  async me(@Req() req: Request): Promise<AuthMeResponse> {
    const auth = this.config.auth;
    if (auth.mode !== 'oidc') return { authMode: 'none', user: null, maxRoomsPerUser: null };
    return { authMode: 'oidc', user: await this.sessions.userOf(req), maxRoomsPerUser: auth.maxRoomsPerUser };
  }

  @Get('login')
  @UseGuards(OidcOnlyGuard)
  @ApiQuery({ name: 'returnTo', required: false, description: 'a path on this site to come back to (else /)' })
  @ApiFoundResponse({ description: 'To the provider; to /?authError=login_failed when it cannot be reached.' })
  @ApiNotFoundResponse(ONLY_WITH_OIDC)
  async login(@Query('returnTo') returnTo: unknown, @Res() res: Response): Promise<void> {
    try {
      const { redirectTo, state } = await this.oidc.start(returnTo);
      res.cookie(LOGIN_COOKIE, state, {
        ...this.sessions.cookieOptions('/api/auth'),
        maxAge: LOGIN_TTL_MS,
        signed: true,
      });
      res.redirect(302, redirectTo);
    } catch (error) {
      this.logger.warn(`login could not start: ${error instanceof Error ? error.message : String(error)}`);
      res.redirect(302, '/?authError=login_failed');
    }
  }

  @Get('callback')
  @UseGuards(OidcOnlyGuard)
  @ApiFoundResponse({
    description:
      'Signed in: the session cookie is set, to returnTo. Refused, failed or replayed: no session, to ' +
      '/?authError=access_denied (cancelled at the provider) or /?authError=login_failed.',
  })
  @ApiNotFoundResponse(ONLY_WITH_OIDC)
  async callback(@Req() req: Request, @Res() res: Response): Promise<void> {
    const cookieState = this.sessions.signedCookie(req, LOGIN_COOKIE);
    res.clearCookie(LOGIN_COOKIE, this.sessions.cookieOptions('/api/auth'));
    let result: Awaited<ReturnType<OidcLogin['finish']>>;
    try {
      result = await this.oidc.finish(req.originalUrl, cookieState);
    } catch (error) {
      if (!(error instanceof LoginFailedError)) throw error;
      res.redirect(302, `/?authError=${error.reason}`);
      return;
    }
    await this.sessions.start(res, result.user);
    res.redirect(302, result.returnTo);
  }

  @Post('logout')
  @HttpCode(204)
  @UseGuards(OidcOnlyGuard)
  @ApiCookieAuth(SESSION_SCHEME)
  @ApiNoContentResponse({ description: 'Signed out: the session is deleted server-side and its cookie cleared.' })
  @ApiNotFoundResponse(ONLY_WITH_OIDC)
  async logout(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<void> {
    await this.sessions.end(req, res);
  }
}
