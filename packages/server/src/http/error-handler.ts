import { errorMessages, pickLocale, type ErrorBody, type ErrorCode } from '@enclave/protocol';
import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify';
import { ZodError } from 'zod';
import { AppError } from './app-error';

/** Fastify's own failures that are the client's fault, by Fastify's error code. */
const fastifyCodes: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'MALFORMED_JSON',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'MALFORMED_JSON',
  FST_ERR_CTP_BODY_TOO_LARGE: 'BODY_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'VALIDATION_FAILED',
};

/** Turns any thrown value into the public error body; unknown failures become INTERNAL and are logged in full. */
export function toErrorBody(error: unknown, locale: string | undefined, log?: (error: unknown) => void): { status: number; body: ErrorBody } {
  const language = pickLocale(locale);
  const build = (code: ErrorCode, status: number, data?: Record<string, unknown>) => ({
    status,
    body: { code, message: errorMessages[language][code], ...(data ? { data } : {}) },
  });
  if (error instanceof AppError) return build(error.code, error.status, error.data);
  if (error instanceof ZodError) {
    // Unknown fields are named in the message and listed in `keys`, so a client sees which of its fields we refuse.
    const issues = error.issues.map((issue) => ({
      path: issue.path.join('.'),
      message: issue.message,
      ...(issue.code === 'unrecognized_keys' ? { keys: issue.keys } : {}),
    }));
    return build('VALIDATION_FAILED', 400, { issues });
  }
  const fastifyCode = (error as FastifyError | undefined)?.code;
  if (fastifyCode && fastifyCodes[fastifyCode]) {
    const code = fastifyCodes[fastifyCode];
    return build(code, code === 'VALIDATION_FAILED' ? 400 : (error as FastifyError).statusCode ?? 400);
  }
  if (error instanceof SyntaxError && (error as FastifyError).statusCode === 400) return build('MALFORMED_JSON', 400);
  log?.(error);
  return build('INTERNAL', 500);
}

function acceptLanguage(request: FastifyRequest): string | undefined {
  return request.headers['accept-language'];
}

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => {
    const { status, body } = toErrorBody(error, acceptLanguage(request), (cause) =>
      request.log.error({ err: cause, requestId: request.id }, 'unhandled error'),
    );
    if (body.code === 'INTERNAL') body.data = { requestId: request.id };
    if (body.code === 'RATE_LIMITED' && typeof body.data?.retryAfterSeconds === 'number') {
      void reply.header('retry-after', String(body.data.retryAfterSeconds));
    }
    void reply.status(status).send({ error: body });
  });
}
