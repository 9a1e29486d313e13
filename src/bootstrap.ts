import { ConsoleLogger, INestApplication, INestApplicationContext, LogLevel, ValidationError, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication, NestExpressBodyParserOptionsFor } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AppModule, AppModuleOptions } from './app.module';
import { SignInService } from './auth/sign-in.service';
import { ruleProblemsError, BodyRuleProblem, unknownFieldError } from './common/domain-error';
import { ControlCharacterPipe, refuseDeepJson } from './common/input-guards';
import { loggerWriter, requestLogMiddleware } from './common/request-log.middleware';
import { securityHeadersMiddleware } from './common/security-headers';
import { ReferenceDataService } from './reference/reference-data.service';

// The two faces (HTTP server, CLI) and the tests build the application through these functions,
// so all of them run the same migrations, pipes and error shape.

function flattenValidationErrors(errors: ValidationError[], parent = ''): BodyRuleProblem[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const names = Object.keys(error.constraints ?? {});
    const maxLength = names.length === 1 && names[0] === 'maxLength' ? Number(error.contexts?.maxLength?.maxLength) : undefined;
    const own: BodyRuleProblem[] = error.constraints
      ? [{ field, constraints: Object.values(error.constraints), ...(maxLength ? { maxLength } : {}) }]
      : [];
    return [...own, ...flattenValidationErrors(error.children ?? [], field)];
  });
}

export function validationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    exceptionFactory: (errors) => {
      const problems = flattenValidationErrors(errors);
      const unknown = problems.filter((problem) => problem.constraints.some((text) => text.includes('should not exist')));
      if (unknown.length) return unknownFieldError(unknown.map((problem) => problem.field));
      // (the maximum length rides in the decorator's context: see OptionalText)
      return ruleProblemsError(problems);
    },
  });
}

export interface HttpAppOptions extends AppModuleOptions {
  loadReference?: boolean;
  logger?: LogLevel[] | false;
  /** Where request log lines go (default: the logger, when it is on). */
  requestLog?: (line: string) => void;
  /** Nest's own SIGTERM handling (on by default); the server's main installs a graceful one instead. */
  shutdownHooks?: boolean;
}

/** The one logger of a process: text, or one JSON object per line (LOG_FORMAT=json). */
export function appLogger(levels: LogLevel[], format: 'text' | 'json'): ConsoleLogger {
  return new ConsoleLogger({ logLevels: levels, prefix: 'tracker', ...(format === 'json' ? { json: true, colors: false, compact: true } : {}) });
}

export async function createHttpApp(options: HttpAppOptions): Promise<INestApplication> {
  // The same logger from the first line on, so the start-up lines are JSON too when asked.
  const logger = options.logger === false ? false : appLogger(options.logger ?? ['log', 'warn', 'error'], options.config.logFormat);
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(options), { bodyParser: false, logger });
  if (logger) app.useLogger(logger);
  // Before the body parser, so a refused body (413, malformed JSON) is logged and gets the headers too.
  const requestLog = options.requestLog ?? (options.logger === false ? undefined : loggerWriter(options.config.logFormat));
  app.use(requestLogMiddleware({ write: options.config.logRequests ? requestLog : undefined }));
  app.use(securityHeadersMiddleware());
  // Behind a reverse proxy, client addresses (the failed-login limit counts by them) come from X-Forwarded-For.
  app.set('trust proxy', options.config.trustProxy);
  // verify runs on the raw bytes before JSON.parse; Nest's type leaves it out only because it
  // uses the hook itself for rawBody, which this app does not turn on.
  app.useBodyParser('json', { limit: options.config.jsonLimit, verify: refuseDeepJson } as NestExpressBodyParserOptionsFor<'json'>);
  app.useGlobalPipes(new ControlCharacterPipe(), validationPipe());
  if (options.shutdownHooks !== false) app.enableShutdownHooks();
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('procedure-dx-tracker')
      .setDescription('行政手続のオンライン化・押印廃止・アナログ規制見直しの進捗管理 API')
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
  await app.init();
  await app.get(SignInService).warmUp();
  if (options.loadReference !== false) await app.get(ReferenceDataService).load();
  return app;
}

export async function createCliContext(options: AppModuleOptions & { logger?: LogLevel[] | false }): Promise<INestApplicationContext> {
  return NestFactory.createApplicationContext(AppModule.forRoot(options), { logger: options.logger ?? ['error', 'warn'] });
}
