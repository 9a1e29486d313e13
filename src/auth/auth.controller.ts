import { Body, Controller, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Actor } from '../common/actor';
import { AllowDuringPasswordChange, CurrentActor, CurrentSession, Public, SessionContext } from '../common/auth.decorators';
import { clientAddress, cookieValue, tooManyFailures } from './auth.guard';
import { ChangePasswordDto, LoginDto } from './dto/auth-body.dto';
import { csrfTokenFor, SESSION_COOKIE, SessionsService } from './sessions.service';
import { LockedOut, SignInService } from './sign-in.service';

/** The session cookie: HttpOnly, SameSite=Strict, Path=/, Secure when the request came over HTTPS. */
export function sessionCookie(value: string, secure: boolean, clear = false): string {
  return [`${SESSION_COOKIE}=${clear ? '' : value}`, 'Path=/', 'HttpOnly', 'SameSite=Strict', ...(secure ? ['Secure'] : []), ...(clear ? ['Max-Age=0'] : [])].join('; ');
}

function lockedOut(error: unknown, response: Response): unknown {
  if (!(error instanceof LockedOut)) return error;
  return tooManyFailures(
    error.retryAfterSeconds,
    response,
    error.scope === 'login'
      ? 'このログインIDへのログインの失敗が続いたため、一時的にログインを止めています。'
      : '認証の失敗が続いたため、この端末からの認証を一時的に止めています。',
  );
}

@ApiTags('auth')
@Controller('api/v1/auth')
export class AuthController {
  constructor(
    private readonly signIn: SignInService,
    private readonly sessions: SessionsService,
  ) {}

  @Post('login')
  @Public()
  @HttpCode(200)
  async login(@Body() body: LoginDto, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    try {
      const result = await this.signIn.signIn(body.login, body.password, clientAddress(request));
      // request.secure: HTTPS here, or X-Forwarded-Proto from a proxy trusted by TRUST_PROXY
      response.setHeader('Set-Cookie', sessionCookie(result.sessionToken, request.secure));
      return { user: result.user, csrfToken: result.csrfToken, mustChangePassword: result.mustChangePassword };
    } catch (error) {
      throw lockedOut(error, response);
    }
  }

  /**
   * Whether this browser is signed in, without a 401 when it is not: the page asks on load (a
   * reload keeps the cookie) and shows the login form or carries on.
   */
  @Get('session')
  @Public()
  async session(@Req() request: Request) {
    const token = cookieValue(request.headers.cookie, SESSION_COOKIE);
    const resolved = token ? await this.sessions.resolve(token) : null;
    if (!resolved) return { signedIn: false, csrfToken: null, mustChangePassword: false };
    return { signedIn: true, csrfToken: csrfTokenFor(resolved.token), mustChangePassword: resolved.user.mustChangePassword };
  }

  @Post('logout')
  @AllowDuringPasswordChange()
  @HttpCode(200)
  async logout(@CurrentSession() session: SessionContext | null, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    if (session) await this.sessions.end(session.sessionId);
    response.setHeader('Set-Cookie', sessionCookie('', request.secure, true));
    return { loggedOut: true };
  }

  @Post('password')
  @AllowDuringPasswordChange()
  @HttpCode(200)
  async password(
    @Body() body: ChangePasswordDto,
    @CurrentActor() actor: Actor,
    @CurrentSession() session: SessionContext | null,
    @Res({ passthrough: true }) response: Response,
  ) {
    try {
      await this.signIn.changePassword(actor.userId!, body.current, body.new, session?.sessionId);
      return { changed: true, mustChangePassword: false };
    } catch (error) {
      throw lockedOut(error, response);
    }
  }
}
